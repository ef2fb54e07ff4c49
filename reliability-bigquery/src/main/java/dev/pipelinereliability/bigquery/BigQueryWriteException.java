package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * A BigQuery write (stage, replace, upsert, cleanup, backup) failed; the client's {@code
 * BigQueryException} is the cause. The target table is unchanged unless the message says the
 * committing statement succeeded.
 *
 * <p>Immutable and thread-safe.
 */
public class BigQueryWriteException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, with the table
   * @param cause the client's exception, or null when no exception caused it
   */
  public BigQueryWriteException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
