package dev.pipelinereliability.examples.oncall;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.AuditEntry;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.Trigger;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code completion show|mark-complete|force-trigger|reset-trigger}: a key's completion state and
 * the tracker's audited overrides, instead of editing the Firestore document by hand as on-call did
 * in the incident ({@code _completed_count: 5, _triggered: true, _trigger_reason: manual_fix...}).
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Show a phase's completion state for a date, or override it with an audit entry.",
    subcommands = {
      CompletionCommand.Show.class,
      CompletionCommand.MarkComplete.class,
      CompletionCommand.ForceTrigger.class,
      CompletionCommand.ResetTrigger.class
    })
final class CompletionCommand {
  private CompletionCommand() {}

  /** The {@code PHASE DATE} every completion command starts with. */
  abstract static class KeyCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "PHASE", description = "A phase of the pipeline file.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String phase;

    @Parameters(index = "1", paramLabel = "DATE", description = "The date, yyyy-MM-dd.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String date;

    CompletionKey key(Session session) {
      String name = session.file().phase(phase).name();
      return CompletionKey.of(name, date("DATE", date));
    }
  }

  /** A completion command that writes: {@code --reason} and {@code --dry-run}. */
  abstract static class OverrideCommand extends KeyCommand {
    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why; kept in the key's audit trail.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String reason;

    @Option(names = "--dry-run", description = "Show what would change; write nothing.")
    boolean dryRun;

    @Override
    final int run(Session session) {
      requireReason(reason);
      CompletionKey key = key(session);
      Audit audit = Audit.by(session.actor(), reason.strip());
      CompletionTracker tracker = session.tracker();
      CompletionState before = tracker.state(key);
      JsonObject json = new JsonObject();
      json.addProperty("key", key.toString());
      json.addProperty("actor", audit.actor());
      json.addProperty("reason", audit.reason());
      json.addProperty("dry_run", dryRun);
      Optional<String> refusal = refusal(before);
      if (refusal.isPresent()) {
        json.addProperty("changed", false);
        json.addProperty("message", refusal.get());
        session.print(refusal.get() + "; nothing written", json.toString());
        return OnCall.FINDINGS;
      }
      if (dryRun) {
        String would = "dry run: would " + describe(before) + "; nothing written";
        json.addProperty("message", would);
        session.print(would, json.toString());
        return OnCall.OK;
      }
      if (publishes()) {
        session.requirePublishing();
      }
      String done = apply(tracker, key, audit);
      json.addProperty("changed", true);
      json.addProperty("message", done);
      json.add("state", Show.json(tracker.state(key)));
      session.print(done + "\n\n" + Show.text(tracker.state(key)), json.toString());
      return OnCall.OK;
    }

    /** Why nothing would change, if so. */
    abstract Optional<String> refusal(CompletionState state);

    /** What would be written, in words. */
    abstract String describe(CompletionState state);

    /** Whether the override may publish a trigger. */
    abstract boolean publishes();

    /** Writes the override and says what happened. */
    abstract String apply(CompletionTracker tracker, CompletionKey key, Audit audit);
  }

  /** {@code completion show PHASE DATE}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Processors complete and missing, stored and derived count, trigger and audit trail.",
        "Exit 0."
      })
  static final class Show extends KeyCommand {
    @Override
    int run(Session session) {
      CompletionState state = session.tracker().state(key(session));
      session.print(text(state), json(state).toString());
      return OnCall.OK;
    }

    static String text(CompletionState s) {
      StringBuilder out = new StringBuilder();
      out.append(s.key())
          .append(": ")
          .append(s.completedCount())
          .append(" of ")
          .append(s.expected().size())
          .append(" complete; stored count ")
          .append(s.storedCount().isPresent() ? s.storedCount().getAsInt() : "none")
          .append(s.countDrifted() ? " (drifted)" : "")
          .append('\n');
      out.append("trigger: ")
          .append(
              s.trigger()
                  .map(
                      t ->
                          t.id()
                              + ", reason "
                              + t.reason()
                              + ", claimed "
                              + t.claimedAt()
                              + ", "
                              + t.publishedAt().map(p -> "published " + p).orElse("unconfirmed"))
                  .orElse(s.allComplete() ? "none (all complete: due)" : "none"))
          .append("\n\n");
      Table table = Table.of("PROCESSOR", "STATUS", "RECORDED", "MESSAGE", "ROWS");
      TreeSet<String> names = new TreeSet<>(s.expected());
      names.addAll(s.completions().keySet());
      for (String p : names) {
        Optional<RecordedCompletion> c = s.completion(p);
        table.row(
            p,
            !s.expected().contains(p) ? "unexpected" : c.isPresent() ? "complete" : "missing",
            c.map(r -> r.recordedAt().toString()).orElse("-"),
            c.flatMap(r -> r.completion().messageId()).orElse("-"),
            c.map(r -> r.completion().rowCount())
                .filter(r -> r.isPresent())
                .map(r -> Long.toString(r.getAsLong()))
                .orElse("-"));
      }
      out.append(table.render());
      if (!s.auditTrail().isEmpty()) {
        Table audit = Table.of("AT", "ACTION", "ACTOR", "REASON", "DETAIL");
        for (AuditEntry e : s.auditTrail()) {
          audit.row(
              e.at(),
              e.action(),
              e.actor(),
              e.reason(),
              e.processor().map(p -> p + ": ").orElse("") + e.detail());
        }
        out.append("\naudit trail:\n").append(audit.render());
      }
      return out.toString();
    }

    static JsonObject json(CompletionState s) {
      JsonObject o = new JsonObject();
      o.addProperty("phase", s.key().phase());
      o.addProperty("date", s.key().date().toString());
      o.addProperty("expected", s.expected().size());
      o.addProperty("completed_count", s.completedCount());
      if (s.storedCount().isPresent()) {
        o.addProperty("stored_count", s.storedCount().getAsInt());
      } else {
        o.add("stored_count", com.google.gson.JsonNull.INSTANCE);
      }
      o.addProperty("count_drifted", s.countDrifted());
      JsonArray completed = new JsonArray();
      s.completed().forEach(completed::add);
      o.add("completed", completed);
      JsonArray missing = new JsonArray();
      s.missing().forEach(missing::add);
      o.add("missing", missing);
      JsonArray unexpected = new JsonArray();
      s.unexpected().forEach(unexpected::add);
      o.add("unexpected", unexpected);
      if (s.trigger().isPresent()) {
        Trigger t = s.trigger().get();
        JsonObject trigger = new JsonObject();
        trigger.addProperty("id", t.id());
        trigger.addProperty("reason", t.reason());
        trigger.addProperty("claimed_at", t.claimedAt().toString());
        trigger.addProperty("published_at", t.publishedAt().map(Object::toString).orElse(null));
        o.add("trigger", trigger);
      } else {
        o.add("trigger", com.google.gson.JsonNull.INSTANCE);
      }
      JsonArray audit = new JsonArray();
      for (AuditEntry e : s.auditTrail()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("at", e.at().toString());
        entry.addProperty("action", e.action().name().toLowerCase(java.util.Locale.ROOT));
        entry.addProperty("actor", e.actor());
        entry.addProperty("reason", e.reason());
        entry.addProperty("processor", e.processor().orElse(null));
        entry.addProperty("detail", e.detail());
        audit.add(entry);
      }
      o.add("audit", audit);
      return o;
    }
  }

  /** {@code completion mark-complete PHASE DATE PROCESSOR --reason TEXT}. */
  @Command(
      name = "mark-complete",
      mixinStandardHelpOptions = true,
      description = {
        "Mark a processor complete without its message; triggers the next phase if now due.",
        "Exit 0: marked (or would be); 1: already complete."
      })
  static final class MarkComplete extends OverrideCommand {
    @Parameters(index = "2", paramLabel = "PROCESSOR", description = "An expected processor.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String processor;

    @Override
    Optional<String> refusal(CompletionState s) {
      if (!s.expected().contains(processor)) {
        throw new UsageException(
            "phase "
                + s.key().phase()
                + " does not expect '"
                + processor
                + "'; it expects "
                + s.expected());
      }
      return s.completion(processor).isPresent()
          ? Optional.of(processor + " is already complete for " + s.key())
          : Optional.empty();
    }

    @Override
    String describe(CompletionState s) {
      boolean completes = s.missing().equals(java.util.Set.of(processor));
      return "mark "
          + processor
          + " complete for "
          + s.key()
          + " ("
          + (s.completedCount() + 1)
          + " of "
          + s.expected().size()
          + ")"
          + (completes && !s.triggered() ? ", then claim and publish the trigger" : "");
    }

    @Override
    boolean publishes() {
      return true;
    }

    @Override
    String apply(CompletionTracker tracker, CompletionKey key, Audit audit) {
      RecordResult r = tracker.markComplete(key, processor, audit);
      if (r.outcome() == RecordOutcome.DUPLICATE) {
        return processor + " was completed concurrently; nothing written";
      }
      return "marked "
          + processor
          + " complete for "
          + key
          + r.trigger()
              .filter(t -> r.wonTrigger())
              .map(t -> "; published trigger " + t.id())
              .orElse("");
    }
  }

  /** {@code completion force-trigger PHASE DATE --reason TEXT}. */
  @Command(
      name = "force-trigger",
      mixinStandardHelpOptions = true,
      description = {
        "Trigger the next phase now, whichever processors completed.",
        "Exit 0: triggered (or would be); 1: already triggered (reset-trigger first)."
      })
  static final class ForceTrigger extends OverrideCommand {
    @Override
    Optional<String> refusal(CompletionState s) {
      return s.trigger()
          .map(t -> s.key() + " is already triggered (" + t.id() + "); use reset-trigger first");
    }

    @Override
    String describe(CompletionState s) {
      return "claim and publish the trigger of "
          + s.key()
          + (s.missing().isEmpty() ? "" : ", recording missing " + s.missing());
    }

    @Override
    boolean publishes() {
      return true;
    }

    @Override
    String apply(CompletionTracker tracker, CompletionKey key, Audit audit) {
      return tracker
          .forceTrigger(key, audit)
          .map(t -> "published trigger " + t.id() + " for " + key)
          .orElse(key + " was triggered concurrently; nothing written");
    }
  }

  /** {@code completion reset-trigger PHASE DATE --reason TEXT}. */
  @Command(
      name = "reset-trigger",
      mixinStandardHelpOptions = true,
      description = {
        "Clear the trigger so the phase can trigger again (with a new id) after reprocessing.",
        "Exit 0: cleared (or would be); 1: nothing was triggered."
      })
  static final class ResetTrigger extends OverrideCommand {
    @Override
    Optional<String> refusal(CompletionState s) {
      return s.trigger().isPresent()
          ? Optional.empty()
          : Optional.of(s.key() + " has no trigger to reset");
    }

    @Override
    String describe(CompletionState s) {
      return "clear trigger " + s.trigger().orElseThrow().id() + " of " + s.key();
    }

    @Override
    boolean publishes() {
      return false;
    }

    @Override
    String apply(CompletionTracker tracker, CompletionKey key, Audit audit) {
      return tracker
          .resetTrigger(key, audit)
          .map(t -> "cleared trigger " + t.id() + " of " + key)
          .orElse(key + " had no trigger; nothing written");
    }
  }
}
