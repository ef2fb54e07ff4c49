package dev.pipelinereliability.health.alert;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AlertHistory} on shared storage could not be read or written. {@link
 * SuppressingAlertSink} then delivers the alert anyway: a repeated alert is better than a lost one.
 */
public class AlertHistoryException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the check
   * @param cause the storage client's failure, or null if there is none to wrap
   */
  public AlertHistoryException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
