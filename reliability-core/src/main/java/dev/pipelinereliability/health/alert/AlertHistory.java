package dev.pipelinereliability.health.alert;

import dev.pipelinereliability.health.HealthStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers when an alert was last delivered for a check and status, so {@link
 * SuppressingAlertSink} can hold back repeats. {@link InMemoryAlertHistory} remembers for the life
 * of the process; a job that starts a new process per run (a Cloud Run job) needs an implementation
 * on shared storage to suppress across runs.
 *
 * <p>Implementations must be thread-safe.
 */
public interface AlertHistory {
  /** Returns when an alert for {@code checkName} with {@code status} was last delivered. */
  Optional<Instant> lastSent(String checkName, HealthStatus status);

  /**
   * Records that an alert for {@code checkName} with {@code status} was delivered at {@code at}.
   */
  void recordSent(String checkName, HealthStatus status, Instant at);

  /** Forgets every delivery recorded for {@code checkName}, whatever the status. */
  void clear(String checkName);
}
