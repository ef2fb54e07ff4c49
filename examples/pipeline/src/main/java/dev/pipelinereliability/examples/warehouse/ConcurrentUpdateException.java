package dev.pipelinereliability.examples.warehouse;

import dev.pipelinereliability.ReliabilityException;

/**
 * BigQuery's "Could not serialize access to table ... due to concurrent update": a mutating job
 * overlapped another on the same partition and was rolled back.
 */
public class ConcurrentUpdateException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code table}, worded as BigQuery words it. */
  public ConcurrentUpdateException(String table) {
    super("Could not serialize access to table " + table + " due to concurrent update");
  }
}
