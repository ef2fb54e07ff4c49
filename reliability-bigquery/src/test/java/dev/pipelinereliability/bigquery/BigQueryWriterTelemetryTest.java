package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.WriteResult;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery writer's metrics through the real client against {@link FakeBigQueryServer}: a write
 * whose statement BigQuery aborted twice for a concurrent update counts one call, two retries and
 * its rows; a write that ran out of attempts counts its retries and no rows.
 */
class BigQueryWriterTelemetryTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final String FIELDS =
      "[{\"name\":\"game_date\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"game_id\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"}]";

  private FakeBigQueryServer server;
  private final MetricsCapture metrics = MetricsCapture.create();

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
}
