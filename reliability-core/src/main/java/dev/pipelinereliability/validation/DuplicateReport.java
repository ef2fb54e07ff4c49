package dev.pipelinereliability.validation;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of a {@link DuplicateValidator} check.
 *
 * <p>Immutable and thread-safe.
 *
 * @param check what was checked
 * @param totalRows rows in the checked table or partition
 * @param duplicateKeys keys that occur on more than one row
 * @param excessRows rows beyond one per key: {@code totalRows - distinctKeys}; deleting this many
 *     rows would make the data clean
 * @param samples up to {@link DuplicateCheck#sampleLimit()} duplicated keys, most rows first (order
 *     among equal counts unspecified)
 */
public record DuplicateReport(
    DuplicateCheck check,
    long totalRows,
    long duplicateKeys,
    long excessRows,
    List<DuplicateSample> samples) {

  /**
   * Validates the counts against each other.
   *
   * @param check the check
   * @param totalRows the total rows
   * @param duplicateKeys the duplicate keys
   * @param excessRows the excess rows
   * @param samples the samples
   * @throws IllegalArgumentException if a count is negative or they are inconsistent (for example
   *     excess rows without duplicate keys, or more samples than the limit)
   */
  public DuplicateReport {
    requireNonNull(check, "check");
    requireNonNull(samples, "samples");
    if (totalRows < 0 || duplicateKeys < 0 || excessRows < 0) {
      throw new IllegalArgumentException(
          "negative count: total "
              + totalRows
              + ", duplicate keys "
              + duplicateKeys
              + ", excess "
              + excessRows);
    }
    if ((duplicateKeys == 0) != (excessRows == 0)
        || excessRows < duplicateKeys
        || excessRows + duplicateKeys > totalRows) {
      throw new IllegalArgumentException(
          "inconsistent counts: total "
              + totalRows
              + ", duplicate keys "
              + duplicateKeys
              + ", excess "
              + excessRows);
    }
    if (samples.size() > check.sampleLimit() || samples.size() > duplicateKeys) {
      throw new IllegalArgumentException(
          samples.size()
              + " samples for limit "
              + check.sampleLimit()
              + " and "
              + duplicateKeys
              + " duplicate keys");
    }
    samples = List.copyOf(samples);
  }

  /**
   * Distinct keys in the checked rows: {@code totalRows - excessRows}.
   *
   * @return distinct keys in the checked rows: {@code totalRows - excessRows}
   */
  public long distinctKeys() {
    return totalRows - excessRows;
  }

  /**
   * True when every key occurs on at most one row.
   *
   * @return true when every key occurs on at most one row
   */
  public boolean isClean() {
    return excessRows == 0;
  }

  /**
   * Returns this report if clean.
   *
   * @return this report
   * @throws DuplicatesFoundException if any key occurs more than once; it carries this report
   */
  public DuplicateReport requireClean() {
    if (!isClean()) {
      throw new DuplicatesFoundException(this);
    }
    return this;
  }
}
