package dev.pipelinereliability.examples.replay;

/**
 * What one table holds for the replayed date after a run.
 *
 * @param table the table
 * @param rows rows in the partition
 * @param uniqueKeys distinct business keys among them
 */
public record TableOutcome(String table, int rows, int uniqueKeys) {
  /** Rows beyond one per key: the duplicates a reader would double-count. */
  public int duplicateRows() {
    return rows - uniqueKeys;
  }
}
