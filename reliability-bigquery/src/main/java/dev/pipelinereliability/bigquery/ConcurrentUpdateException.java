package dev.pipelinereliability.bigquery;

import org.jspecify.annotations.Nullable;

/**
 * A statement kept failing with BigQuery's concurrent-update error after every attempt the {@link
 * dev.pipelinereliability.retry.RetryPolicy} allowed. Another writer is mutating the same table or
 * partition: the lock that should serialise writers is missing or was bypassed. The table is
 * unchanged by this writer.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConcurrentUpdateException extends BigQueryWriteException {
  private static final long serialVersionUID = 1L;

  /** How many attempts met a concurrent update; kept in the serialized form. */
  private final int attempts;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param attempts how many attempts were made
   * @param cause the last concurrent-update error, or null when none was kept
   */
  public ConcurrentUpdateException(String message, int attempts, @Nullable Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /**
   * How many attempts were made.
   *
   * @return how many attempts were made
   */
  public int attempts() {
    return attempts;
  }
}
