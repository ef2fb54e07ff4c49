package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import dev.pipelinereliability.testkit.write.InMemoryPartitionWriter;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery writer's metrics through the real client against {@link FakeBigQueryServer}: every
 * retry after a concurrent update is counted once, whatever ends the write (a commit, running out
 * of attempts, a refusal by the fence or the guard on the retry, another failure); a retry the lock
 * check stopped before it was sent is not a retry.
 */
class BigQueryWriterTelemetryTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final String FIELDS =
      "[{\"name\":\"game_date\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"game_id\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"}]";

  private static final String TABLE = "ds.grading";
  private static final String ATTEMPTS = "pipeline_reliability.write.attempts";
  private static final String RETRIES = "pipeline_reliability.write.retries";
  private static final String ROWS = "pipeline_reliability.write.rows";
  private static final String REFUSALS = "pipeline_reliability.write.refusals";
  private static final PartitionFilter PARTITION = new PartitionFilter("game_date", DAY);

  private FakeBigQueryServer server;
  private final MetricsCapture metrics = MetricsCapture.create();
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeBigQueryServer();
    server.table("ds", "grading", FIELDS);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void retriesAfterConcurrentUpdatesAreCountedWithTheCommittedWrite() {
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(400, FakeBigQueryServer.transactionAbortedError());
    BigQueryWriter writer =
        BigQueryWriter.builder(server.client())
            .retryPolicy(TestPolicies.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1)))
            .sleeper(d -> {})
            .random(new SplittableRandom(7))
            .partialDataGuard(PartialDataGuard.off())
            .openTelemetry(metrics.openTelemetry())
            .build();

    WriteResult result =
        writer.replacePartition(
            "ds.grading",
            new PartitionFilter("game_date", DAY),
            List.of(Map.of("game_date", DAY, "game_id", "g1")),
            Fence.unfenced());

    assertThat(result.attempts()).isEqualTo(3);
    assertThat(metrics.count("pipeline_reliability.write.attempts", "table", "ds.grading"))
        .isEqualTo(1);
    assertThat(metrics.count("pipeline_reliability.write.retries", "table", "ds.grading"))
        .isEqualTo(2);
    assertThat(metrics.count("pipeline_reliability.write.rows", "table", "ds.grading"))
        .isEqualTo(result.rowsInserted() + result.rowsUpdated());
  }

  @Test
  void retriesOfAWriteThatRanOutOfAttemptsAreCounted() {
    for (int i = 0; i < 3; i++) {
      server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    }
    BigQueryWriter writer =
        BigQueryWriter.builder(server.client())
            .retryPolicy(TestPolicies.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1)))
            .sleeper(d -> {})
            .random(new SplittableRandom(7))
            .partialDataGuard(PartialDataGuard.off())
            .openTelemetry(metrics.openTelemetry())
            .build();

    ConcurrentUpdateException e =
        assertThrows(
            ConcurrentUpdateException.class,
            () ->
                writer.upsert(
                    "ds.grading",
                    List.of("game_id"),
                    Optional.empty(),
                    Optional.of(new PartitionFilter("game_date", DAY)),
                    List.of(Map.of("game_date", DAY, "game_id", "g1")),
                    Fence.unfenced()));

    assertThat(e.attempts()).isEqualTo(3);
    assertThat(metrics.count("pipeline_reliability.write.attempts", "table", "ds.grading"))
        .isEqualTo(1);
    assertThat(metrics.count("pipeline_reliability.write.retries", "table", "ds.grading"))
        .isEqualTo(2);
    assertThat(metrics.count("pipeline_reliability.write.rows", "table", "ds.grading"))
        .isEqualTo(0);
  }

  /** A writer reporting to {@link #metrics}, waiting on {@link #sleeps}, with the given guard. */
  private BigQueryWriter writer(PartialDataGuard guard, Sleeper sleeper) {
    return BigQueryWriter.builder(server.client())
        .retryPolicy(TestPolicies.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1)))
        .sleeper(sleeper)
        .random(new SplittableRandom(7))
        .partialDataGuard(guard)
        .openTelemetry(metrics.openTelemetry())
        .build();
  }

  private static List<Map<String, Object>> rows(String prefix, int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Map.of("game_date", DAY, "game_id", prefix + i));
    }
    return rows;
  }

  private long count(String instrument, String... attributes) {
    return metrics.count("pipeline_reliability.write." + instrument, attributes);
  }

  @Test
  void aRetryTheFenceRefusesCountsTheRetryAndTheRefusal() {
    // B (token 2) commits while A's (token 1) transaction is open: BigQuery aborts A for a
    // concurrent update; A's retry reads B's token in the fence and is refused.
    BigQueryWriter b =
        BigQueryWriter.builder(server.client())
            .sleeper(d -> {})
            .random(new SplittableRandom(8))
            .openTelemetry(OpenTelemetry.noop())
            .build();
    server.beforeNextCommit(
        () -> b.replacePartition(TABLE, PARTITION, rows("b", 2), Fence.of("k", 2)));
    BigQueryWriter a = writer(PartialDataGuard.ofDefaults(), sleeps::add);

    assertThrows(
        StaleFenceException.class,
        () -> a.replacePartition(TABLE, PARTITION, rows("a", 2), Fence.of("k", 1)));

    assertThat(sleeps).as("A was aborted once, then refused").hasSize(1);
    assertThat(count("attempts", "table", TABLE)).isEqualTo(1);
    assertThat(count("retries", "table", TABLE)).isEqualTo(1);
    assertThat(count("refusals", "table", TABLE, "cause", "stale_fence")).isEqualTo(1);
    assertThat(metrics.points("pipeline_reliability.write.refusals")).hasSize(1);
    assertThat(count("rows", "table", TABLE)).isZero();
  }

  @Test
  void aRetryTheGuardRefusesCountsTheRetryAndTheRefusal() {
    List<Map<String, String>> stored = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stored.add(Map.of("game_date", DAY.toString(), "game_id", "old" + i));
    }
    server.putRows("ds", "grading", stored);
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));

    assertThrows(
        PartialDataException.class,
        () ->
            writer(PartialDataGuard.ofDefaults(), sleeps::add)
                .replacePartition(TABLE, PARTITION, rows("a", 2), Fence.unfenced()));

    assertThat(sleeps).hasSize(1);
    assertThat(count("retries", "table", TABLE)).isEqualTo(1);
    assertThat(count("refusals", "table", TABLE, "cause", "partial_data")).isEqualTo(1);
    assertThat(count("rows", "table", TABLE)).isZero();
  }

  @Test
  void aRetryThatFailsWithAServerErrorCountsTheRetry() {
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(
        500,
        FakeBigQueryServer.error(
            500,
            "An internal error occurred and the request could not be completed.",
            "internalError",
            "INTERNAL"));

    BigQueryWriteException e =
        assertThrows(
            BigQueryWriteException.class,
            () ->
                writer(PartialDataGuard.off(), sleeps::add)
                    .upsert(
                        TABLE,
                        List.of("game_id"),
                        Optional.empty(),
                        Optional.of(PARTITION),
                        rows("a", 1),
                        Fence.unfenced()));

    assertThat(e).isNotInstanceOf(ConcurrentUpdateException.class);
    assertThat(e).hasMessageContaining("internal error");
    assertThat(sleeps).hasSize(1);
    assertThat(count("attempts", "table", TABLE)).isEqualTo(1);
    assertThat(count("retries", "table", TABLE)).isEqualTo(1);
    assertThat(metrics.points("pipeline_reliability.write.refusals")).isEmpty();
    assertThat(count("rows", "table", TABLE)).isZero();
  }

  @Test
  void aRetryTheLockCheckStopsBeforeItIsSentIsNotCounted() {
    CountingHandle lock = new CountingHandle(LockKey.of("grading", DAY), 1);
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(400, FakeBigQueryServer.transactionAbortedError());
    // The lock is lost during the second wait: the third send never goes out.
    Sleeper losingTheLockOnTheSecondWait =
        d -> {
          sleeps.add(d);
          if (sleeps.size() == 2) {
            lock.lose();
          }
        };

    assertThrows(
        LockLostException.class,
        () ->
            writer(PartialDataGuard.off(), losingTheLockOnTheSecondWait)
                .replacePartition(TABLE, PARTITION, rows("a", 1), Fence.of(lock)));

    assertThat(server.requests("POST", "/queries")).as("two sends").hasSize(2);
    assertThat(count("attempts", "table", TABLE)).isEqualTo(1);
    assertThat(count("retries", "table", TABLE)).isEqualTo(1);
    assertThat(metrics.points("pipeline_reliability.write.refusals")).isEmpty();
  }

  @Test
  void aWriteInterruptedWhileWaitingToRetryCountsTheRetriesItSent() {
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(400, FakeBigQueryServer.transactionAbortedError());
    Sleeper interruptedInTheSecondWait =
        d -> {
          sleeps.add(d);
          if (sleeps.size() == 2) {
            throw new InterruptedException("shutting down");
          }
        };
    BigQueryWriter writer = writer(PartialDataGuard.off(), interruptedInTheSecondWait);

    try {
      BigQueryWriteException e =
          assertThrows(
              BigQueryWriteException.class,
              () -> writer.replacePartition(TABLE, PARTITION, rows("a", 1), Fence.unfenced()));
      assertThat(e).hasCauseInstanceOf(InterruptedException.class);
    } finally {
      assertThat(Thread.interrupted()).as("the writer restores the interrupt").isTrue();
    }

    assertThat(server.requests("POST", "/queries")).as("two sends").hasSize(2);
    assertThat(server.requests("DELETE", "/tables/grading_staging_"))
        .as("the staging table is still deleted")
        .hasSize(1);
    assertThat(count("retries", "table", TABLE)).isEqualTo(1);
    assertThat(count("attempts", "table", TABLE)).isEqualTo(1);
  }

  private static final String ODDS = "odds.lines";
  private static final LocalDate ODDS_DAY = LocalDate.of(2026, 2, 3);
  private static final PartitionFilter ODDS_PARTITION = new PartitionFilter("day", ODDS_DAY);
  private static final String ODDS_FIELDS =
      "[{\"name\":\"day\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"id\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]";

  private static List<Map<String, Object>> oddsRows(int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Map.of("id", i, "day", ODDS_DAY));
    }
    return rows;
  }

  /**
   * The scenario of the testkit's {@code WriteMetricsTest}, with one key given twice to the upsert:
   * a replace of 10 rows and an upsert of one existing and one new key commit under token 5; a
   * replace under token 4 is refused as stale, and one of 2 rows for the partition's 11 as partial.
   */
  private static void oddsScenario(PartitionWriter writer) {
    writer.replacePartition(ODDS, ODDS_PARTITION, oddsRows(10), Fence.of("nightly", 5));
    writer.upsert(
        ODDS,
        List.of("id"),
        Optional.empty(),
        Optional.of(ODDS_PARTITION),
        List.of(
            Map.of("id", 3, "day", ODDS_DAY),
            Map.of("id", 42, "day", ODDS_DAY),
            Map.of("id", 42, "day", ODDS_DAY)),
        Fence.of("nightly", 5));
    assertThrows(
        StaleFenceException.class,
        () -> writer.replacePartition(ODDS, ODDS_PARTITION, oddsRows(10), Fence.of("nightly", 4)));
    assertThrows(
        PartialDataException.class,
        () -> writer.replacePartition(ODDS, ODDS_PARTITION, oddsRows(2), Fence.of("nightly", 6)));
  }

  @Test
  void committedAndRefusedWritesCountAsOnTheInMemoryWriter() {
    server.table("odds", "lines", ODDS_FIELDS);
    try (MetricsCapture inMemoryMetrics = MetricsCapture.create()) {
      oddsScenario(
          BigQueryWriter.builder(server.client())
              .sleeper(d -> {})
              .random(new SplittableRandom(9))
              .openTelemetry(metrics.openTelemetry())
              .build());
      oddsScenario(
          new InMemoryPartitionWriter(
              PartialDataGuard.ofDefaults(), inMemoryMetrics.openTelemetry()));

      for (MetricsCapture m : List.of(metrics, inMemoryMetrics)) {
        assertThat(m.count(ATTEMPTS, "table", ODDS)).isEqualTo(4);
        assertThat(m.count(ROWS, "table", ODDS))
            .as("10 inserted, 1 updated, 1 inserted")
            .isEqualTo(12);
        assertThat(m.count(REFUSALS, "table", ODDS, "cause", "stale_fence")).isEqualTo(1);
        assertThat(m.count(REFUSALS, "table", ODDS, "cause", "partial_data")).isEqualTo(1);
        assertThat(m.points(RETRIES)).isEmpty();
        // The upsert's input went through the writer's deduplication, reported where it reports.
        assertThat(m.count("pipeline_reliability.dedup.rows.in")).isEqualTo(3);
        assertThat(m.count("pipeline_reliability.dedup.rows.removed")).isEqualTo(1);
      }
      for (String instrument :
          List.of(
              ATTEMPTS,
              RETRIES,
              ROWS,
              REFUSALS,
              "pipeline_reliability.dedup.rows.in",
              "pipeline_reliability.dedup.rows.removed")) {
        assertThat(metrics.points(instrument))
            .as(instrument)
            .isEqualTo(inMemoryMetrics.points(instrument));
      }
    }
  }

  @Test
  void rowsAreTheInsertedAndUpdatedCountsOfTheCommitsDmlStatistics() {
    server.table("odds", "lines", ODDS_FIELDS);
    BigQueryWriter writer =
        BigQueryWriter.builder(server.client())
            .sleeper(d -> {})
            .random(new SplittableRandom(10))
            .openTelemetry(metrics.openTelemetry())
            .build();

    WriteResult replaced =
        writer.replacePartition(ODDS, ODDS_PARTITION, oddsRows(4), Fence.unfenced());
    WriteResult replacedAgain =
        writer.replacePartition(ODDS, ODDS_PARTITION, oddsRows(3), Fence.unfenced());
    WriteResult upserted =
        writer.upsert(
            ODDS,
            List.of("id"),
            Optional.empty(),
            Optional.of(ODDS_PARTITION),
            List.of(Map.of("id", 0, "day", ODDS_DAY), Map.of("id", 7, "day", ODDS_DAY)),
            Fence.unfenced());

    assertThat(replacedAgain.rowsDeleted()).as("deleted rows are not written rows").isEqualTo(4);
    assertThat(upserted.rowsUpdated()).isEqualTo(1);
    assertThat(upserted.rowsInserted()).isEqualTo(1);
    assertThat(metrics.count(ROWS, "table", ODDS))
        .isEqualTo(4 + 3 + 2)
        .isEqualTo(
            replaced.rowsInserted()
                + replaced.rowsUpdated()
                + replacedAgain.rowsInserted()
                + replacedAgain.rowsUpdated()
                + upserted.rowsInserted()
                + upserted.rowsUpdated());
    assertThat(metrics.count(ATTEMPTS, "table", ODDS)).isEqualTo(3);
  }

  @Test
  @SuppressWarnings("NullAway") // passes a null table on purpose
  void aTableIdTheWriterRefusesIsNeverAnAttribute() {
    BigQueryWriter writer = writer(PartialDataGuard.off(), sleeps::add);

    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    "ds.grading;drop", PARTITION, rows("a", 1), Fence.unfenced()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'grading;drop'");
    assertThatThrownBy(
            () ->
                writer.upsert(
                    null,
                    List.of("game_id"),
                    Optional.empty(),
                    Optional.of(PARTITION),
                    rows("a", 1),
                    Fence.unfenced()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("table");

    assertThat(metrics.recordedInstruments()).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void planCleanupCountsItsDuplicateCheckWhereTheWriterReports() {
    String fields =
        "[{\"name\":\"total_rows\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
            + "{\"name\":\"duplicate_keys\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
            + "{\"name\":\"excess_rows\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]";
    server.answerQuery(
        200, FakeBigQueryServer.queryResult(fields, List.of(List.of("\"9\"", "\"2\"", "\"5\""))));
    DuplicateCheck check =
        DuplicateCheck.of(TABLE, List.of("game_id"))
            .inPartition("game_date", DAY)
            .withSampleLimit(0);

    CleanupPlan plan =
        writer(PartialDataGuard.off(), sleeps::add).planCleanup(check, Keep.latestBy("game_date"));

    assertThat(plan.rowsToRemove()).isEqualTo(5);
    assertThat(
            metrics.count(
                "pipeline_reliability.validation.runs", "table", TABLE, "status", "duplicates"))
        .isEqualTo(1);
    assertThat(metrics.count("pipeline_reliability.validation.duplicate_keys", "table", TABLE))
        .isEqualTo(2);
    assertThat(metrics.count("pipeline_reliability.validation.excess_rows", "table", TABLE))
        .isEqualTo(5);
    assertThat(metrics.points(ATTEMPTS)).as("a plan writes nothing").isEmpty();
  }
}
