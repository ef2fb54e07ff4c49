package dev.pipelinereliability.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Records what dedup does: rows in and rows removed, counted once per call (never per row).
 *
 * <p>Thread-safe.
 */
public final class DedupMetrics {
  private final LongCounter rowsIn;
  private final LongCounter rowsRemoved;

  DedupMetrics(Meter meter) {
    rowsIn =
        ReliabilityTelemetry.counter(
            meter, "dedup.rows.in", "{row}", "Rows passed to a deduplicator");
    rowsRemoved =
        ReliabilityTelemetry.counter(
            meter, "dedup.rows.removed", "{row}", "Rows a deduplicator removed as duplicates");
  }

  /**
   * Counts one dedup call.
   *
   * @param in the rows passed in
   * @param removed the rows removed
   * @throws IllegalArgumentException if a count is negative or {@code removed} exceeds {@code in}
   */
  public void deduplicated(long in, long removed) {
    ReliabilityTelemetry.checkCount("in", in);
    ReliabilityTelemetry.checkCount("removed", removed);
    if (removed > in) {
      throw new IllegalArgumentException(
          "removed must be <= in: removed " + removed + ", in " + in);
    }
    rowsIn.add(in, Attributes.empty());
    rowsRemoved.add(removed, Attributes.empty());
  }
}
