package dev.pipelinereliability.examples.oncall;

import com.google.cloud.bigquery.BigQuery;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pipelinereliability.bigquery.Backup;
import dev.pipelinereliability.bigquery.BigQueryDuplicateValidator;
import dev.pipelinereliability.bigquery.BigQueryWriter;
import dev.pipelinereliability.bigquery.CleanupPlan;
import dev.pipelinereliability.bigquery.Keep;
import dev.pipelinereliability.examples.config.TableSpec;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.WriteResult;
import java.time.LocalDate;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code duplicates check|plan|cleanup}: duplicate business keys in a table's partition, found in
 * one query, and removed by the library's atomic cleanup (one MERGE that keeps one row per key,
 * after an optional snapshot or copy), instead of the grading incident's hand-run "cleanup plan" of
 * backup, CREATE TABLE AS, DROP and RENAME.
 */
@Command(
    name = "duplicates",
    mixinStandardHelpOptions = true,
    description =
        "Find duplicate business keys in a table's partition, plan and run their cleanup.",
    subcommands = {
      DuplicatesCommand.Check.class,
      DuplicatesCommand.Plan.class,
      DuplicatesCommand.Cleanup.class
    })
final class DuplicatesCommand {
  private DuplicatesCommand() {}

  /** The table and partition every duplicates command works on. */
  abstract static class TableCommand extends BaseCommand {
    @Option(
        names = "--table",
        required = true,
        paramLabel = "TABLE",
        description = "A table of the pipeline file, such as prediction_accuracy.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String table;

    @Option(
        names = "--date",
        paramLabel = "yyyy-MM-dd",
        description = "The partition. Default: yesterday in the pipeline's zone.")
    @Nullable String date;

    DuplicateCheck check(Session session) {
      TableSpec spec = session.file().table(table);
      LocalDate day = date == null ? session.yesterday() : date("--date", date);
      return DuplicateCheck.of(spec.qualifiedId(session.project()), spec.key())
          .inPartition(spec.partitionColumn(), day);
    }

    BigQuery bigquery(Session session) {
      if (!session.bigqueryAvailable()) {
        throw new UsageException(
            "this run is local ("
                + session.endpoints().describe()
                + "), and duplicates reads BigQuery: give --bigquery-endpoint URL");
      }
      return session.bigquery();
    }

    BigQueryWriter writer(Session session) {
      return BigQueryWriter.create(bigquery(session));
    }
  }

  /** A command that plans: which row of a key survives. */
  abstract static class PlanningCommand extends TableCommand {
    @Option(
        names = "--keep",
        paramLabel = "latest:COLUMN|first:COLUMN",
        description = "Which row of a key survives. Default: latest by the table's version column.")
    @Nullable String keep;

    Keep keep(Session session) {
      TableSpec spec = session.file().table(table);
      if (keep == null) {
        return Keep.latestBy(
            spec.versionColumn()
                .orElseThrow(
                    () ->
                        new UsageException(
                            "table "
                                + table
                                + " has no version column in the pipeline file; give --keep"
                                + " latest:COLUMN or first:COLUMN")));
      }
      int colon = keep.indexOf(':');
      String how = colon < 0 ? "" : keep.substring(0, colon);
      String column = colon < 0 ? "" : keep.substring(colon + 1);
      try {
        return switch (how) {
          case "latest" -> Keep.latestBy(column);
          case "first" -> Keep.firstBy(column);
          default ->
              throw new UsageException(
                  "--keep must be latest:COLUMN or first:COLUMN, but was '" + keep + "'");
        };
      } catch (IllegalArgumentException e) {
        throw new UsageException("--keep: " + e.getMessage());
      }
    }
  }

  /** {@code duplicates check --table T [--date D]}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Count duplicate keys and excess rows in the partition, with samples.",
        "Exit 0: clean; 1: duplicates."
      })
  static final class Check extends TableCommand {
    @Override
    int run(Session session) {
      DuplicateReport report =
          BigQueryDuplicateValidator.create(bigquery(session)).validate(check(session));
      session.print(text(report), json(report).toString());
      return report.isClean() ? OnCall.OK : OnCall.FINDINGS;
    }
  }

  /** {@code duplicates plan --table T [--date D] [--keep ...]}. */
  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Show what cleanup would remove and the one statement it would run; changes nothing.",
        "Exit 0: clean, nothing to do; 1: duplicates to clean up."
      })
  static final class Plan extends PlanningCommand {
    @Override
    int run(Session session) {
      CleanupPlan plan = writer(session).planCleanup(check(session), keep(session));
      session.print(text(plan), json(plan).toString());
      return plan.report().isClean() ? OnCall.OK : OnCall.FINDINGS;
    }
  }

  /** {@code duplicates cleanup --table T [--date D] [--keep ...] [--backup ...] --reason TEXT}. */
  @Command(
      name = "cleanup",
      mixinStandardHelpOptions = true,
      description = {
        "Back the table up, then remove the excess rows in one atomic MERGE.",
        "Exit 0: cleaned (or clean already, or would be with --dry-run)."
      })
  static final class Cleanup extends PlanningCommand {
    @Option(
        names = "--backup",
        paramLabel = "snapshot|copy|none",
        description = "Back the table up first (default snapshot).")
    String backup = "snapshot";

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why; printed with the result and logged.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String reason;

    @Option(names = "--dry-run", description = "Show the plan; write nothing.")
    boolean dryRun;

    @Override
    int run(Session session) {
      requireReason(reason);
      Backup how = backup(backup);
      BigQueryWriter writer = writer(session);
      CleanupPlan plan = writer.planCleanup(check(session), keep(session));
      JsonObject json = json(plan);
      json.addProperty("reason", reason.strip());
      json.addProperty("actor", session.actor());
      json.addProperty("backup", how.name().toLowerCase(Locale.ROOT));
      json.addProperty("dry_run", dryRun);
      if (plan.report().isClean()) {
        json.addProperty("removed_rows", 0);
        session.print(text(plan) + "\nnothing to clean up", json.toString());
        return OnCall.OK;
      }
      if (dryRun) {
        session.print(
            text(plan)
                + "\ndry run: would back the table up ("
                + how.name().toLowerCase(Locale.ROOT)
                + ") and remove "
                + plan.rowsToRemove()
                + " rows; nothing written",
            json.toString());
        return OnCall.OK;
      }
      // Unfenced: the MERGE rewrites the partition from itself in one atomic statement, so a
      // processor committing at the same time conflicts and is retried; it is not lost.
      WriteResult result = writer.cleanup(plan, how, Fence.unfenced());
      boolean counted = result.rowsDeleted() > 0 || result.rowsInserted() > 0;
      long removed = result.rowsDeleted() - result.rowsInserted();
      if (counted) {
        json.addProperty("removed_rows", removed);
      }
      json.addProperty("attempts", result.attempts());
      JsonArray jobs = new JsonArray();
      result.jobIds().forEach(jobs::add);
      json.add("jobs", jobs);
      session.print(
          text(plan)
              + "\n"
              + (counted
                  ? "removed " + removed + " rows"
                  : "committed (BigQuery reported no DML statistics; planned "
                      + plan.rowsToRemove()
                      + " rows)")
              + " in one MERGE ("
              + result.attempts()
              + " attempt(s), jobs "
              + result.jobIds()
              + "), backup "
              + how.name().toLowerCase(Locale.ROOT)
              + ", by "
              + session.actor()
              + ": "
              + reason.strip(),
          json.toString());
      return OnCall.OK;
    }

    private static Backup backup(String text) {
      return switch (text) {
        case "snapshot" -> Backup.SNAPSHOT;
        case "copy" -> Backup.COPY;
        case "none" -> Backup.NONE;
        default ->
            throw new UsageException(
                "--backup must be snapshot, copy or none, but was '" + text + "'");
      };
    }
  }

  static String text(DuplicateReport r) {
    StringBuilder out = new StringBuilder();
    out.append(r.check().table())
        .append(r.check().partition().map(p -> " " + p.column() + "=" + p.value()).orElse(""))
        .append(": ")
        .append(r.totalRows())
        .append(" rows, ")
        .append(r.distinctKeys())
        .append(" distinct keys, ")
        .append(r.duplicateKeys())
        .append(" duplicated keys, ")
        .append(r.excessRows())
        .append(" excess rows\n");
    if (!r.samples().isEmpty()) {
      Table samples =
          Table.of(String.join(", ", r.check().keyColumns()).toUpperCase(Locale.ROOT), "ROWS");
      for (DuplicateSample s : r.samples()) {
        samples.row(s.key(), s.count());
      }
      out.append('\n').append(samples.render());
    }
    return out.toString();
  }

  static String text(CleanupPlan plan) {
    return text(plan.report())
        + "\ncleanup keeps the "
        + (plan.keep().latest() ? "latest" : "first")
        + " row of each key by "
        + plan.keep().orderColumn()
        + " and removes "
        + plan.rowsToRemove()
        + " rows with:\n"
        + plan.sql();
  }

  static JsonObject json(DuplicateReport r) {
    JsonObject o = new JsonObject();
    o.addProperty("table", r.check().table());
    r.check()
        .partition()
        .ifPresent(
            p -> {
              o.addProperty("partition_column", p.column());
              o.addProperty("partition", String.valueOf(p.value()));
            });
    o.addProperty("total_rows", r.totalRows());
    o.addProperty("distinct_keys", r.distinctKeys());
    o.addProperty("duplicate_keys", r.duplicateKeys());
    o.addProperty("excess_rows", r.excessRows());
    JsonArray samples = new JsonArray();
    for (DuplicateSample s : r.samples()) {
      JsonObject sample = new JsonObject();
      JsonArray key = new JsonArray();
      s.key().forEach(v -> key.add(v == null ? null : String.valueOf(v)));
      sample.add("key", key);
      sample.addProperty("rows", s.count());
      samples.add(sample);
    }
    o.add("samples", samples);
    return o;
  }

  static JsonObject json(CleanupPlan plan) {
    JsonObject o = json(plan.report());
    o.addProperty(
        "keep", (plan.keep().latest() ? "latest:" : "first:") + plan.keep().orderColumn());
    o.addProperty("rows_to_remove", plan.rowsToRemove());
    o.addProperty("sql", plan.sql());
    return o;
  }
}
