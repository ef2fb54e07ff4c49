package dev.pipelinereliability.health.alert;

import dev.pipelinereliability.health.HealthStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers when an alert was last delivered for a check and status, so {@link
 * SuppressingAlertSink} can hold back repeats. {@link InMemoryAlertHistory} remembers for the life
 * of the process; a job that starts a new process per run (a Cloud Run job) needs one on shared
 * storage to suppress across runs, such as {@code FirestoreAlertHistory} in reliability-firestore.
 * The testkit's {@code AlertHistoryContract} pins the behaviour every implementation shares.
 *
 * <p>Implementations must be thread-safe.
 */
public interface AlertHistory {
  /**
   * Returns when an alert for {@code checkName} with {@code status} was last delivered.
   *
   * @param checkName the check name
   * @param status the status
   * @return when an alert for {@code checkName} with {@code status} was last delivered
   * @throws AlertHistoryException if shared storage could not be read
   */
  Optional<Instant> lastSent(String checkName, HealthStatus status);

  /**
   * Records that an alert for {@code checkName} with {@code status} was delivered at {@code at},
   * replacing what was recorded for that check and status; other statuses are kept.
   *
   * @param checkName the check name
   * @param status the status
   * @param at the at
   * @throws AlertHistoryException if shared storage could not be written
   */
  void recordSent(String checkName, HealthStatus status, Instant at);

  /**
   * Forgets every delivery recorded for {@code checkName}, whatever the status.
   *
   * @param checkName the check name
   * @throws AlertHistoryException if shared storage could not be written
   */
  void clear(String checkName);
}
