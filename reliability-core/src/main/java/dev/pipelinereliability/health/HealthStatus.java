package dev.pipelinereliability.health;

/**
 * The outcome of one health check, from best to worst. The order of the constants is the order of
 * severity: a report's status is the worst of its checks' statuses.
 *
 * <p>{@link #ERROR} is deliberately distinct from {@link #FAIL}: {@code FAIL} means the check ran
 * and found a problem in the data, {@code ERROR} means the check could not run (its backend could
 * not be reached, it threw), so nothing is known. An {@code ERROR} is never reported as healthy.
 */
public enum HealthStatus {
  /** The check ran and found nothing wrong. */
  OK,
  /** The check ran and found something worth a look that is not yet a failure. */
  WARN,
  /** The check ran and found a problem. */
  FAIL,
  /** The check could not run, so its subject is in an unknown state. */
  ERROR;

  /**
   * Returns whether this status is strictly more severe than {@code other}.
   *
   * @param other the other
   * @return whether this status is strictly more severe than {@code other}
   */
  public boolean isWorseThan(HealthStatus other) {
    return compareTo(other) > 0;
  }

  /**
   * Returns the more severe of this status and {@code other}.
   *
   * @param other the other
   * @return the more severe of this status and {@code other}
   */
  public HealthStatus worst(HealthStatus other) {
    return isWorseThan(other) ? this : other;
  }
}
