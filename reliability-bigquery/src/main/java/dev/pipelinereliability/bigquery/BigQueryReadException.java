package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.ReliabilityException;

/**
 * A BigQuery read that backs a library answer (landed-row counts) failed; the client's exception is
 * the cause. Nothing was changed.
 *
 * <p>Immutable and thread-safe.
 */
public class BigQueryReadException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, with the table
   * @param cause the client's exception
   */
  public BigQueryReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
