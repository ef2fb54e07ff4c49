package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.testkit.write.InMemoryPartitionWriter;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.StaleFenceException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Write metrics after scripted writes to the in-memory partition writer. */
class WriteMetricsTest {
  static final String ATTEMPTS = "pipeline_reliability.write.attempts";
  static final String RETRIES = "pipeline_reliability.write.retries";
  static final String ROWS = "pipeline_reliability.write.rows";
  static final String REFUSALS = "pipeline_reliability.write.refusals";

  private static final String TABLE = "odds.lines";
  private static final LocalDate DAY = LocalDate.of(2026, 2, 3);
  private static final PartitionFilter PARTITION = new PartitionFilter("day", DAY);

  private final MetricsCapture metrics = MetricsCapture.create();
  private final InMemoryPartitionWriter writer =
      new InMemoryPartitionWriter(PartialDataGuard.ofDefaults(), metrics.openTelemetry());

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void committedWritesCountTheirRowsAndRefusalsTheirCause() {
    writer.replacePartition(TABLE, PARTITION, rows(10), Fence.of("nightly", 5));
    writer.upsert(
        TABLE,
        List.of("id"),
        Optional.empty(),
        Optional.of(PARTITION),
        List.of(Map.of("id", 3, "day", DAY), Map.of("id", 42, "day", DAY)),
        Fence.of("nightly", 5));

    // A stalled run with an older token: refused, nothing written.
    assertThatThrownBy(
            () -> writer.replacePartition(TABLE, PARTITION, rows(10), Fence.of("nightly", 4)))
        .isInstanceOf(StaleFenceException.class);
    // A replacement with 2 rows for a partition of 11: refused as partial.
    assertThatThrownBy(
            () -> writer.replacePartition(TABLE, PARTITION, rows(2), Fence.of("nightly", 6)))
        .isInstanceOf(PartialDataException.class);

    assertThat(metrics.count(ATTEMPTS, "table", TABLE)).isEqualTo(4);
    assertThat(metrics.count(ROWS, "table", TABLE)).isEqualTo(10 + 1 + 1);
    assertThat(metrics.count(REFUSALS, "table", TABLE, "cause", "stale_fence")).isEqualTo(1);
    assertThat(metrics.count(REFUSALS, "table", TABLE, "cause", "partial_data")).isEqualTo(1);
    // The in-memory store never sees a concurrent update; BigQuery's writer is tested for these.
    assertThat(metrics.count(RETRIES, "table", TABLE)).isZero();
  }

  private static List<Map<String, Object>> rows(int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Map.of("id", i, "day", DAY));
    }
    return rows;
  }
}
