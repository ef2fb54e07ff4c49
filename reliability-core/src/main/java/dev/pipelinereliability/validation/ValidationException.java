package dev.pipelinereliability.validation;

import dev.pipelinereliability.ReliabilityException;

/**
 * A duplicate check could not be run: the table is missing, the backend rejected the query, or a
 * cost limit stopped it. The backend's exception, if any, is the cause.
 *
 * <p>Immutable and thread-safe.
 */
public class ValidationException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, with the table
   */
  public ValidationException(String message) {
    super(message);
  }

  /**
   * Creates the exception around a backend failure.
   *
   * @param message what failed, with the table
   * @param cause the backend's exception
   */
  public ValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
