package dev.pipelinereliability.health.freshness;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by an {@link ArrivalSource} that could not reach its backend, so it does not know whether
 * data arrived. {@link dev.pipelinereliability.health.HealthCheckRunner} reports it as {@link
 * dev.pipelinereliability.health.HealthStatus#ERROR} (exit code 2). The backend's exception is the
 * cause.
 */
public class ArrivalUnavailableException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was asked of which source
   * @param cause the backend failure, or null if there is none to wrap
   */
  public ArrivalUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
