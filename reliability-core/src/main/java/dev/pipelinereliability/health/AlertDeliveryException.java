package dev.pipelinereliability.health;

import dev.pipelinereliability.ReliabilityException;

/**
 * Thrown by an {@link AlertSink} that could not deliver an alert: the endpoint was unreachable,
 * timed out or refused it. {@link HealthCheckRunner} catches it, so it never fails a check.
 *
 * <p>Messages never contain a sink's secret endpoint (a Slack webhook URL is a credential).
 */
public class AlertDeliveryException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   */
  public AlertDeliveryException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure behind it.
   *
   * @param message what failed, without secrets
   * @param cause the underlying failure
   */
  public AlertDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
