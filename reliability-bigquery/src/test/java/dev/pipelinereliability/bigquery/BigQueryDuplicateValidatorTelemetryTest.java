package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.validation.ValidationException;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BigQueryDuplicateValidator}'s metrics through the real client against {@link
 * FakeBigQueryServer}, beside the testkit's {@link InMemoryDuplicateValidator} given the same
 * checks of the same rows: both count the same runs by status, duplicate keys and excess rows.
 *
 * <p>The fake server does not execute the duplicate check's SELECT, so it answers each check with
 * the counts and samples an uncounted in-memory validator computes from the same rows, in
 * BigQuery's result shape: what is under test is the client's parse of that answer and what the
 * BigQuery validator records from it.
 */
class BigQueryDuplicateValidatorTelemetryTest {
  private static final String RUNS = "pipeline_reliability.validation.runs";
  private static final String KEYS = "pipeline_reliability.validation.duplicate_keys";
  private static final String EXCESS = "pipeline_reliability.validation.excess_rows";
  private static final String LINES = "odds.lines";
  private static final String GAMES = "odds.games";
  private static final DuplicateCheck LINES_CHECK =
      DuplicateCheck.of(LINES, List.of("game", "book"));
  private static final DuplicateCheck GAMES_CHECK = DuplicateCheck.of(GAMES, List.of("game"));
  private static final DuplicateCheck MISSING_CHECK =
      DuplicateCheck.of("odds.missing", List.of("game"));

  private FakeBigQueryServer server;
  private final MetricsCapture bigQueryMetrics = MetricsCapture.create();
  private final MetricsCapture inMemoryMetrics = MetricsCapture.create();
  private final InMemoryDuplicateValidator inMemory =
      new InMemoryDuplicateValidator(inMemoryMetrics.openTelemetry());
  private final InMemoryDuplicateValidator answers =
      new InMemoryDuplicateValidator(OpenTelemetry.noop());

  @BeforeEach
  void start() throws Exception {
    List<Map<String, Object>> lines =
        List.of(
            Map.of("game", "a", "book", "x"),
            Map.of("game", "a", "book", "x"),
            Map.of("game", "a", "book", "x"),
            Map.of("game", "b", "book", "x"),
            Map.of("game", "b", "book", "x"),
            Map.of("game", "c", "book", "x"));
    List<Map<String, Object>> games = List.of(Map.of("game", "a"), Map.of("game", "b"));
    for (InMemoryDuplicateValidator v : List.of(inMemory, answers)) {
      v.putTable(LINES, lines);
      v.putTable(GAMES, games);
    }
    server = new FakeBigQueryServer();
    server.answerQueriesWith(this::answer);
  }

  @AfterEach
  void stop() {
    server.close();
    bigQueryMetrics.close();
    inMemoryMetrics.close();
  }

  /** BigQuery's answer to the duplicate check the request carries; 404 for a missing table. */
  private FakeBigQueryServer.Answer answer(JsonObject request) {
    String sql = request.get("query").getAsString();
    for (DuplicateCheck check : List.of(LINES_CHECK, GAMES_CHECK, MISSING_CHECK)) {
      if (sql.equals(BigQueryDuplicateValidator.sql(check))) {
        try {
          return new FakeBigQueryServer.Answer(
              200, FakeBigQueryServer.duplicateCheckResult(answers.validate(check)));
        } catch (ValidationException e) {
          return new FakeBigQueryServer.Answer(
              404,
              FakeBigQueryServer.error(
                  404,
                  "Not found: Table test-project:"
                      + check.table()
                      + " was not found in location US",
                  "notFound",
                  "NOT_FOUND"));
        }
      }
    }
    throw new AssertionError("not a duplicate check of this test: " + sql);
  }

  private static void runChecks(DuplicateValidator validator) {
    validator.validate(LINES_CHECK);
    validator.validate(GAMES_CHECK);
    validator.validate(GAMES_CHECK);
  }

  @Test
  void runsByStatusDuplicateKeysAndExcessRowsCountAsOnTheInMemoryValidator() {
    BigQueryDuplicateValidator bigQuery =
        BigQueryDuplicateValidator.builder(server.client())
            .openTelemetry(bigQueryMetrics.openTelemetry())
            .build();

    runChecks(bigQuery);
    runChecks(inMemory);

    for (MetricsCapture m : List.of(bigQueryMetrics, inMemoryMetrics)) {
      assertThat(m.count(RUNS, "table", LINES, "status", "duplicates")).isEqualTo(1);
      assertThat(m.count(RUNS, "table", GAMES, "status", "clean")).isEqualTo(2);
      assertThat(m.points(RUNS)).hasSize(2);
      assertThat(m.count(KEYS, "table", LINES)).isEqualTo(2);
      assertThat(m.count(EXCESS, "table", LINES)).isEqualTo(3);
      assertThat(m.count(KEYS, "table", GAMES)).isZero();
      assertThat(m.count(EXCESS, "table", GAMES)).isZero();
    }
    for (String instrument : List.of(RUNS, KEYS, EXCESS)) {
      assertThat(bigQueryMetrics.points(instrument))
          .as(instrument)
          .isEqualTo(inMemoryMetrics.points(instrument));
    }
    assertThat(server.requests("POST", "/queries")).as("one query per check").hasSize(3);
  }

  @Test
  void theReportTheBigQueryValidatorCountsIsTheOneItReturns() {
    DuplicateReport report =
        BigQueryDuplicateValidator.builder(server.client())
            .openTelemetry(bigQueryMetrics.openTelemetry())
            .build()
            .validate(LINES_CHECK);

    assertThat(report).isEqualTo(inMemory.validate(LINES_CHECK));
    assertThat(bigQueryMetrics.count(KEYS, "table", LINES)).isEqualTo(report.duplicateKeys());
    assertThat(bigQueryMetrics.count(EXCESS, "table", LINES)).isEqualTo(report.excessRows());
  }

  @Test
  void aValidationThatFailsCountsNothingOnEither() {
    BigQueryDuplicateValidator bigQuery =
        BigQueryDuplicateValidator.builder(server.client())
            .openTelemetry(bigQueryMetrics.openTelemetry())
            .build();

    assertThrows(ValidationException.class, () -> bigQuery.validate(MISSING_CHECK));
    assertThrows(ValidationException.class, () -> inMemory.validate(MISSING_CHECK));

    for (MetricsCapture m : List.of(bigQueryMetrics, inMemoryMetrics)) {
      assertThat(m.points(RUNS)).isEmpty();
      assertThat(m.points(KEYS)).isEmpty();
      assertThat(m.points(EXCESS)).isEmpty();
    }
  }
}
