package dev.pipelinereliability.health;

/**
 * Where {@link HealthCheckRunner} sends what its checks found: a log, a Slack channel, a pager.
 * Implementations live in {@link dev.pipelinereliability.health.alert}.
 *
 * <p>The runner calls {@link #send} for every result that is not {@link HealthStatus#OK} and {@link
 * #resolved} for every OK result, after all checks of a run have finished. A sink that cannot
 * deliver throws {@link AlertDeliveryException}; the runner logs it and carries on, so a failed
 * alert never changes a report, its exit code, or whether the other sinks are called.
 *
 * <p>Implementations must be thread-safe.
 */
public interface AlertSink {
  /**
   * Delivers one finding.
   *
   * @param result a result whose status is not {@link HealthStatus#OK}
   * @throws AlertDeliveryException if the finding could not be delivered
   */
  void send(CheckResult result);

  /**
   * Notes that a check is healthy again, so a decorator that suppresses repeats can alert at once
   * the next time it fails. Does nothing unless overridden.
   *
   * @param result a result whose status is {@link HealthStatus#OK}
   */
  default void resolved(CheckResult result) {}
}
