package dev.pipelinereliability.examples.oncall;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pipelinereliability.bigquery.BigQueryCompletionEvidence;
import dev.pipelinereliability.completion.reconcile.Finding;
import dev.pipelinereliability.completion.reconcile.ReconcileMode;
import dev.pipelinereliability.completion.reconcile.ReconcileReport;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.examples.config.PhaseSpec;
import dev.pipelinereliability.examples.config.PipelineFile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reconcile}: compares completion tracking with the data that landed, like the legacy
 * pipeline's {@code reconcile_phase3_completion.py --days N [--fix]}. Report mode reads only;
 * {@code --fix} repairs through the tracker's compare-and-set operations with the operator's reason
 * in the audit trail and publishes due triggers on the phase's topic.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Compare completion state with the data that landed; --fix repairs it.",
      "Exit 0: nothing to do (report) or everything repaired (fix); 1: findings (report), or"
          + " findings a person must look at (fix)."
    })
final class ReconcileCommand extends BaseCommand {
  @Option(
      names = "--phase",
      paramLabel = "PHASE",
      description = "A phase of the pipeline file; repeat for several. Default: every phase.")
  List<String> phases = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "The last N days up to today in the pipeline's zone (default 7).")
  @Nullable Integer days;

  @Option(names = "--from", paramLabel = "yyyy-MM-dd", description = "First date (with --to).")
  @Nullable String from;

  @Option(names = "--to", paramLabel = "yyyy-MM-dd", description = "Last date (with --from).")
  @Nullable String to;

  @Option(names = "--fix", description = "Repair what can be repaired (needs --reason).")
  boolean fix;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
  @Nullable String reason;

  @Option(
      names = "--dry-run",
      description =
          "With --fix: print the findings and the repairs that would be made; write nothing.")
  boolean dryRun;

  @Override
  int run(Session session) {
    PipelineFile file = session.file();
    Set<String> scopePhases = new LinkedHashSet<>();
    if (phases.isEmpty()) {
      scopePhases.addAll(file.phases().keySet());
    }
    for (String p : phases) {
      scopePhases.add(file.phase(p).name());
    }
    ReconcileScope scope = scope(session, scopePhases);
    if (fix) {
      requireReason(reason);
    } else if (reason != null || dryRun) {
      throw new UsageException("--reason and --dry-run go with --fix");
    }
    boolean writes = fix && !dryRun;
    if (writes) {
      session.requirePublishing();
    }
    Reconciler.Builder builder =
        Reconciler.builder(session.tracker()).clock(session.clock()).actor(session.actor());
    if (fix && reason != null) { // requireReason above refused a --fix without one
      builder.reason(reason);
    }
    evidence(session, builder, scopePhases);
    ReconcileReport report =
        builder.build().run(scope, writes ? ReconcileMode.FIX : ReconcileMode.REPORT);
    if (dryRun) {
      printDryRun(session, report);
      return report.hasFindings() ? OnCall.FINDINGS : OnCall.OK;
    }
    session.print(report.toTable(), report.toJson());
    if (writes) {
      return report.needsHuman().isEmpty() ? OnCall.OK : OnCall.FINDINGS;
    }
    return report.hasFindings() ? OnCall.FINDINGS : OnCall.OK;
  }

  private ReconcileScope scope(Session session, Set<String> scopePhases) {
    String first = from;
    String last = to;
    if (first != null || last != null) {
      if (first == null || last == null || days != null) {
        throw new UsageException("give --from and --to together, or --days, not both");
      }
      return scoped(
          () -> new ReconcileScope(scopePhases, date("--from", first), date("--to", last)));
    }
    int n = days == null ? 7 : days;
    if (n < 1 || n > ReconcileScope.MAX_DAYS) {
      throw new UsageException(
          "--days takes a whole number from 1 to " + ReconcileScope.MAX_DAYS + ", but was " + n);
    }
    LocalDate today = LocalDate.now(session.clock());
    return scoped(() -> new ReconcileScope(scopePhases, today.minusDays(n - 1L), today));
  }

  private static ReconcileScope scoped(java.util.function.Supplier<ReconcileScope> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Landed rows from BigQuery for every processor with an output table, when BigQuery is. */
  static void evidence(Session session, Reconciler.Builder builder, Set<String> phases) {
    PipelineFile file = session.file();
    List<String> dateColumns = new ArrayList<>();
    for (String phase : phases) {
      PhaseSpec spec = file.phase(phase);
      spec.outputTables()
          .forEach(
              (processor, table) -> {
                builder.outputTable(
                    phase, processor, file.table(table).qualifiedId(session.project()));
                dateColumns.add(file.table(table).partitionColumn());
              });
    }
    if (dateColumns.isEmpty()) {
      return;
    }
    if (!session.bigqueryAvailable()) {
      session.note(
          "no landed-row evidence: this run is local ("
              + session.endpoints().describe()
              + "); only the tracker's own state is checked");
      return;
    }
    if (dateColumns.stream().distinct().count() > 1) {
      throw new UsageException(
          "the output tables of "
              + phases
              + " are partitioned by different columns "
              + new LinkedHashSet<>(dateColumns)
              + "; reconcile them one phase at a time");
    }
    builder.evidence(BigQueryCompletionEvidence.create(session.bigquery(), dateColumns.get(0)));
  }

  private static void printDryRun(Session session, ReconcileReport report) {
    List<String> repairs = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (f.kind().fixable()) {
        repairs.add(
            f.key()
                + " "
                + f.kind().label()
                + f.processor().map(p -> " " + p).orElse("")
                + ": "
                + switch (f.kind()) {
                  case DATA_WITHOUT_COMPLETION -> "would mark the processor complete, then settle";
                  case COUNT_DRIFT -> "would rewrite the stored count to the derived one";
                  case COMPLETE_NOT_TRIGGERED -> "would claim the trigger and publish it";
                  case CLAIMED_NOT_PUBLISHED -> "would publish the claimed trigger again";
                  case DEADLINE_NOT_TRIGGERED -> "would claim the deadline trigger and publish it";
                  default -> "would repair";
                });
      }
    }
    if (session.json()) {
      JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
      json.addProperty("dry_run", true);
      JsonArray would = new JsonArray();
      repairs.forEach(would::add);
      json.add("would_repair", would);
      session.out().println(json);
      return;
    }
    StringBuilder text = new StringBuilder(report.toTable());
    if (!text.toString().endsWith("\n")) {
      text.append('\n');
    }
    text.append("dry run: nothing written.");
    if (repairs.isEmpty()) {
      text.append(" --fix would repair nothing.");
    } else {
      text.append(" --fix would repair:");
      repairs.forEach(r -> text.append("\n  ").append(r));
    }
    session.print(text.toString(), "");
  }
}
