package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.ReliabilityException;

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
   * @param cause the client's exception
   */
  public BigQueryWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
