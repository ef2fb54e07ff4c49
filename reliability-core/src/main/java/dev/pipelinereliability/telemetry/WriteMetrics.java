package dev.pipelinereliability.telemetry;

import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.CAUSE;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.TABLE;
import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.function.Supplier;

/**
 * Records what a partition writer does, by table: write calls, retries after a concurrent update,
 * rows written, and writes refused (a stale fencing token, a partial replace).
 *
 * <p>Thread-safe.
 */
public final class WriteMetrics {

  /** Why a write was refused: the {@code cause} attribute of the refusal counter. */
  public enum Refusal {
    /** A newer fencing token had written the partition ({@code StaleFenceException}). */
    STALE_FENCE,
    /**
     * The replacement had too few rows against the partition's current rows ({@code
     * PartialDataException}).
     */
    PARTIAL_DATA
  }

  private final LongCounter attempts;
  private final LongCounter retries;
  private final LongCounter rows;
  private final LongCounter refusals;
  private final AttributeTable<Refusal> attributes =
      new AttributeTable<>(TABLE, CAUSE, Refusal.class);

  WriteMetrics(Meter meter) {
    attempts =
        ReliabilityTelemetry.counter(
            meter, "write.attempts", "{write}", "Partition write calls, whatever their end");
    retries =
        ReliabilityTelemetry.counter(
            meter,
            "write.retries",
            "{retry}",
            "Write transactions run again after a concurrent update aborted them");
    rows =
        ReliabilityTelemetry.counter(
            meter, "write.rows", "{row}", "Rows written by writes that committed");
    refusals =
        ReliabilityTelemetry.counter(
            meter, "write.refusals", "{write}", "Writes refused before anything was written");
  }

  /**
   * Runs one write call and records it: the call, then for a committed write its rows (inserted
   * plus updated) and its retries ({@link WriteResult#attempts()} minus one), for a refused one the
   * refusal. The result or exception passes through unchanged. A write that ends in an exception
   * has no result to count retries from: a writer that retries counts them with {@link #retried}
   * (from inside {@code write}, or around this call), so every retry is counted once whatever ended
   * the write.
   *
   * @param table the table id as configured (never a partition value)
   * @param write the write
   * @return what {@code write} returned
   * @throws NullPointerException if an argument is null
   */
  public WriteResult recordWrite(String table, Supplier<WriteResult> write) {
    requireNonNull(write, "write");
    attempted(table);
    WriteResult result;
    try {
      result = write.get();
    } catch (StaleFenceException e) {
      refused(table, Refusal.STALE_FENCE);
      throw e;
    } catch (PartialDataException e) {
      refused(table, Refusal.PARTIAL_DATA);
      throw e;
    }
    retried(table, Math.max(0, result.attempts() - 1L));
    written(table, result.rowsInserted() + result.rowsUpdated());
    return result;
  }

  /**
   * Counts one write call.
   *
   * @param table the table id as configured (never a partition value)
   * @throws NullPointerException if {@code table} is null
   */
  public void attempted(String table) {
    requireNonNull(table, "table");
    attempts.add(1, attributes.get(table));
  }

  /**
   * Counts retries after a concurrent update: statements sent again because the store aborted the
   * previous send. A writer calls it for a write that ended in an exception after such retries
   * (refused, failed, or out of attempts), since no {@link WriteResult} carries them; a committed
   * write's retries are counted by {@link #recordWrite}.
   *
   * @param table the table id as configured
   * @param count how many retries; 0 counts nothing
   * @throws NullPointerException if {@code table} is null
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public void retried(String table, long count) {
    requireNonNull(table, "table");
    ReliabilityTelemetry.checkCount("count", count);
    if (count > 0) {
      retries.add(count, attributes.get(table));
    }
  }

  /**
   * Counts rows of a committed write.
   *
   * @param table the table id as configured
   * @param rowCount the rows written
   * @throws NullPointerException if {@code table} is null
   * @throws IllegalArgumentException if {@code rowCount} is negative
   */
  public void written(String table, long rowCount) {
    requireNonNull(table, "table");
    ReliabilityTelemetry.checkCount("rowCount", rowCount);
    rows.add(rowCount, attributes.get(table));
  }

  /**
   * Counts one refused write.
   *
   * @param table the table id as configured
   * @param refusal why it was refused
   * @throws NullPointerException if an argument is null
   */
  public void refused(String table, Refusal refusal) {
    requireNonNull(table, "table");
    requireNonNull(refusal, "refusal");
    refusals.add(1, attributes.get(table, refusal));
  }
}
