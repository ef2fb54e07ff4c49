package dev.pipelinereliability;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception this library throws on purpose. Catch it to handle any reliability
 * failure in one place; catch a subclass to handle one kind.
 *
 * <p>Exceptions from a backend client (Firestore, BigQuery) are never thrown raw: they are wrapped
 * as the cause of a subclass, so callers depend on this library's types only.
 *
 * <p>Instances are immutable once thrown and safe to share between threads.
 */
public class ReliabilityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message meant for the operator who reads the log.
   *
   * @param message what failed and with which values
   */
  public ReliabilityException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps the backend failure behind it.
   *
   * @param message what failed and with which values
   * @param cause the underlying failure, usually from a backend client; null if there is none
   */
  public ReliabilityException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
