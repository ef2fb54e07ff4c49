package dev.pipelinereliability.testkit.telemetry;

import static dev.pipelinereliability.testkit.telemetry.WriteMetricsTest.ATTEMPTS;
import static dev.pipelinereliability.testkit.telemetry.WriteMetricsTest.REFUSALS;
import static dev.pipelinereliability.testkit.telemetry.WriteMetricsTest.ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.testkit.write.InMemoryPartitionWriter;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write instruments' edges the README states: {@code write.attempts} counts every call
 * "whatever its end" (a call refused for a bad argument too), except that the in-memory writer
 * counts only calls with a valid table id; {@code write.rows} counts inserted plus updated rows of
 * committed writes only.
 */
class WriteCountingTest {

  private static final String TABLE = "odds.lines";
  private static final LocalDate DAY = LocalDate.of(2026, 2, 3);
  private static final PartitionFilter PARTITION = new PartitionFilter("day", DAY);

  private final MetricsCapture metrics = MetricsCapture.create();
  private final InMemoryPartitionWriter writer =
      new InMemoryPartitionWriter(PartialDataGuard.off(), metrics.openTelemetry());

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aCallWithABadArgumentIsAnAttemptWithNoRowsAndNoRefusal() {
    // A row outside the partition it replaces: refused as a bad argument, before anything is
    // written.
    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    TABLE,
                    PARTITION,
                    List.of(Map.of("id", 1, "day", DAY.plusDays(1))),
                    Fence.unfenced()))
        .isInstanceOf(IllegalArgumentException.class);
    // A blank table id: refused before the writer counts anything (it has no table to count by).
    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    " ", PARTITION, List.of(Map.of("id", 1, "day", DAY)), Fence.unfenced()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(metrics.points(ATTEMPTS))
        .containsExactlyEntriesOf(
            Map.of(Attributes.of(AttributeKey.stringKey("table"), TABLE), 1L));
    assertThat(metrics.points(ROWS)).isEmpty();
    assertThat(metrics.points(REFUSALS)).isEmpty();
  }

  @Test
  void rowsCountInsertedPlusUpdatedOfEachCommittedWrite() {
    writer.upsert(
        TABLE,
        List.of("id"),
        Optional.empty(),
        Optional.of(PARTITION),
        List.of(Map.of("id", 1, "day", DAY), Map.of("id", 2, "day", DAY)),
        Fence.unfenced());
    // One update (id 2), one insert (id 3).
    writer.upsert(
        TABLE,
        List.of("id"),
        Optional.empty(),
        Optional.of(PARTITION),
        List.of(Map.of("id", 2, "day", DAY), Map.of("id", 3, "day", DAY)),
        Fence.unfenced());

    assertThat(metrics.count(ATTEMPTS, "table", TABLE)).isEqualTo(2);
    assertThat(metrics.count(ROWS, "table", TABLE)).isEqualTo(2 + 2);
  }
}
