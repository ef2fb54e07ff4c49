package dev.pipelinereliability.examples.oncall;

import dev.pipelinereliability.bigquery.BigQueryDuplicateValidator;
import dev.pipelinereliability.bigquery.health.BigQueryArrivalSource;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.config.SourceSpec;
import dev.pipelinereliability.examples.config.TableSpec;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.alert.SlackWebhookAlertSink;
import dev.pipelinereliability.health.completion.CompletionAccuracyCheck;
import dev.pipelinereliability.health.duplicates.DuplicatesCheck;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.locks.LockHoldCheck;
import dev.pipelinereliability.validation.DuplicateCheck;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code health}: the legacy pipeline's daily {@code phase3_health_check.sh} as library checks, all
 * read from the pipeline file: each source's freshness, duplicate keys in each table's partition,
 * locks held too long or abandoned, and completion tracking against the landed data. Exit codes are
 * the report's: 0 ok, 1 a warning or failure, 2 a check could not run (a store could not be
 * reached).
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline's health checks for a date.",
      "Exit 0: all OK; 1: a warning or failure; 2: a check could not run."
    })
final class HealthCommand extends BaseCommand {
  /** The kinds of check, as {@code --only} names them. */
  enum Kind {
    freshness,
    duplicates,
    locks,
    completion
  }

  @Option(
      names = "--date",
      paramLabel = "yyyy-MM-dd",
      description = "The data date. Default: yesterday in the pipeline's zone.")
  @Nullable String date;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "The completion check covers N days ending at the date (default 7).")
  int days = 7;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "CHECK",
      description = "Only these checks: ${COMPLETION-CANDIDATES}. Default: all.")
  Set<Kind> only = EnumSet.allOf(Kind.class);

  @Option(
      names = "--slack-webhook-env",
      paramLabel = "VAR",
      description =
          "Send warnings and failures to the Slack webhook whose URL is in environment variable VAR"
              + " (on Cloud Run, a Secret Manager secret exposed as VAR).")
  @Nullable String slackWebhookEnv;

  @Override
  int run(Session session) {
    PipelineFile file = session.file();
    LocalDate day = date == null ? session.yesterday() : date("--date", date);
    if (days < 1 || days > ReconcileScope.MAX_DAYS) {
      throw new UsageException(
          "--days takes a whole number from 1 to " + ReconcileScope.MAX_DAYS + ", but was " + days);
    }
    boolean needsBigQuery =
        (only.contains(Kind.freshness) && !file.sources().isEmpty())
            || (only.contains(Kind.duplicates) && !file.tables().isEmpty());
    if (needsBigQuery && !session.bigqueryAvailable()) {
      throw new UsageException(
          "this run is local ("
              + session.endpoints().describe()
              + "), and the freshness and duplicates checks read BigQuery: give --bigquery-endpoint"
              + " URL, or --only locks,completion");
    }
    HealthCheckRunner.Builder runner = HealthCheckRunner.builder().clock(session.clock());
    if (only.contains(Kind.freshness)) {
      for (SourceSpec source : file.sources().values()) {
        BigQueryArrivalSource arrivals =
            BigQueryArrivalSource.builder(session.bigquery(), qualified(session, source.table()))
                .dateColumn(source.dateColumn())
                .loadedAtColumn(source.loadedAtColumn())
                .build();
        runner.addCheck(new FreshnessCheck(source.freshness(), arrivals, day, session.clock()));
      }
    }
    if (only.contains(Kind.duplicates) && !file.tables().isEmpty()) {
      BigQueryDuplicateValidator validator = BigQueryDuplicateValidator.create(session.bigquery());
      List<DuplicateCheck> checks =
          file.tables().values().stream()
              .map(
                  (TableSpec t) ->
                      DuplicateCheck.of(t.qualifiedId(session.project()), t.key())
                          .inPartition(t.partitionColumn(), day))
              .toList();
      runner.addChecks(DuplicatesCheck.forTables(validator, checks));
    }
    if (only.contains(Kind.locks)) {
      runner.addChecks(LockHoldCheck.forTypes(session.locks(), file.maxHolds(), session.clock()));
    }
    if (only.contains(Kind.completion)) {
      Set<String> phases = new LinkedHashSet<>(file.phases().keySet());
      Reconciler.Builder reconciler =
          Reconciler.builder(session.tracker()).clock(session.clock()).actor(session.actor());
      ReconcileCommand.evidence(session, reconciler, phases);
      runner.addCheck(
          CompletionAccuracyCheck.of(
              reconciler.build(), new ReconcileScope(phases, day.minusDays(days - 1L), day)));
    }
    if (slackWebhookEnv != null) {
      try {
        runner.addAlertSink(SlackWebhookAlertSink.fromEnvironment(slackWebhookEnv));
      } catch (IllegalStateException e) {
        throw new UsageException(e.getMessage());
      }
    }
    HealthReport report = runner.build().run();
    session.print(report.toTable(), report.toJson());
    return report.exitCode();
  }

  private static String qualified(Session session, String table) {
    return table.chars().filter(c -> c == '.').count() == 2
        ? table
        : session.project() + "." + table;
  }
}
