package dev.pipelinereliability.write;

/**
 * When a partition replace counts as partial data and is refused: with no rows at all, or with
 * fewer than {@code minFraction} of the rows the partition holds now. A processor that ran on a
 * late or half-loaded source produces fewer rows than last time; replacing the good partition with
 * them is how partial data spreads downstream.
 *
 * <p>The check happens in the same atomic unit as the replace (for BigQuery, inside the commit
 * script), so it sees the partition as the replace would change it. {@link #off()} is the per-call
 * opt-in for a replace that is meant to shrink or empty a partition.
 *
 * <p>Immutable and thread-safe.
 *
 * @param minFraction the smallest accepted ratio of new rows to current rows, 0 to 1; 0 with {@code
 *     refuseEmpty} false means no check
 * @param refuseEmpty whether a replace with no rows is refused even when the partition is empty
 */
public record PartialDataGuard(double minFraction, boolean refuseEmpty) {

  /** The default fraction: a replace keeping fewer than half of the partition's rows is refused. */
  public static final double DEFAULT_MIN_FRACTION = 0.5;

  /**
   * Validates.
   *
   * @param minFraction the min fraction
   * @param refuseEmpty the refuse empty
   * @throws IllegalArgumentException naming the value if {@code minFraction} is not in [0, 1]
   */
  public PartialDataGuard {
    if (!(minFraction >= 0 && minFraction <= 1)) {
      throw new IllegalArgumentException("minFraction must be in [0, 1], got " + minFraction);
    }
  }

  /**
   * Refuses no rows, and fewer than half the current rows.
   *
   * @return the default guard
   */
  public static PartialDataGuard ofDefaults() {
    return new PartialDataGuard(DEFAULT_MIN_FRACTION, true);
  }

  /**
   * Refuses no rows, and fewer than {@code minFraction} of the current rows.
   *
   * @param minFraction 0 to 1
   * @return the guard
   * @throws IllegalArgumentException if {@code minFraction} is out of range
   */
  public static PartialDataGuard atLeast(double minFraction) {
    return new PartialDataGuard(minFraction, true);
  }

  /**
   * No check: the caller accepts that this replace may shrink or empty the partition.
   *
   * @return the guard that refuses nothing
   */
  public static PartialDataGuard off() {
    return new PartialDataGuard(0, false);
  }

  /**
   * Whether this guard can refuse anything.
   *
   * @return false only for a guard equal to {@link #off()}
   */
  public boolean isOn() {
    return refuseEmpty || minFraction > 0;
  }

  /**
   * Whether replacing {@code currentRows} with {@code newRows} is refused.
   *
   * @param currentRows rows the partition holds now
   * @param newRows rows the replace would leave
   * @return true if refused
   */
  public boolean refuses(long currentRows, long newRows) {
    return (refuseEmpty && newRows == 0) || newRows < minFraction * currentRows;
  }

  /**
   * Refuses a replace this guard does not allow; the decision of {@link #refuses}, thrown.
   *
   * @param table the table written, for the message
   * @param partition the partition written, for the message
   * @param currentRows rows the partition holds now
   * @param newRows rows the replace would leave
   * @throws PartialDataException naming table, partition and both counts, if {@link #refuses}
   */
  public void check(String table, String partition, long currentRows, long newRows) {
    if (refuses(currentRows, newRows)) {
      throw new PartialDataException(table, partition, currentRows, newRows, this, null);
    }
  }
}
