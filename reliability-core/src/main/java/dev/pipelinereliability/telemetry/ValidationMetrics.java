package dev.pipelinereliability.telemetry;

import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.STATUS;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.TABLE;
import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Records what duplicate validation finds, by table: validations run (clean or not), duplicate keys
 * and excess rows found.
 *
 * <p>Thread-safe.
 */
public final class ValidationMetrics {

  /** Whether a validation found duplicates: the {@code status} attribute of the run counter. */
  public enum Result {
    /** No duplicates. */
    CLEAN,
    /** At least one key has more than one row. */
    DUPLICATES
  }

  private final LongCounter runs;
  private final LongCounter duplicateKeys;
  private final LongCounter excessRows;
  private final AttributeTable<Result> attributes =
      new AttributeTable<>(TABLE, STATUS, Result.class);

  ValidationMetrics(Meter meter) {
    runs =
        ReliabilityTelemetry.counter(
            meter, "validation.runs", "{validation}", "Duplicate validations run, clean or not");
    duplicateKeys =
        ReliabilityTelemetry.counter(
            meter,
            "validation.duplicate_keys",
            "{key}",
            "Business keys found with more than one row");
    excessRows =
        ReliabilityTelemetry.counter(
            meter,
            "validation.excess_rows",
            "{row}",
            "Rows beyond the first of each duplicated key");
  }

  /**
   * Counts one validation's findings.
   *
   * @param table the table id as configured (bounded: never a partition value)
   * @param duplicateKeyCount the keys with more than one row
   * @param excessRowCount the rows beyond the first of each such key
   * @throws NullPointerException if {@code table} is null
   * @throws IllegalArgumentException if a count is negative
   */
  public void validated(String table, long duplicateKeyCount, long excessRowCount) {
    requireNonNull(table, "table");
    ReliabilityTelemetry.checkCount("duplicateKeyCount", duplicateKeyCount);
    ReliabilityTelemetry.checkCount("excessRowCount", excessRowCount);
    runs.add(1, attributes.get(table, excessRowCount > 0 ? Result.DUPLICATES : Result.CLEAN));
    duplicateKeys.add(duplicateKeyCount, attributes.get(table));
    excessRows.add(excessRowCount, attributes.get(table));
  }
}
