package dev.pipelinereliability.write;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a committed write did, as the store reported it: for BigQuery, the DML statistics of the
 * committing MERGE and the ids of the jobs that ran, so an operator can audit the write in the job
 * history.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rowsInserted rows the commit inserted
 * @param rowsDeleted rows the commit deleted (a partition replace deletes the old partition)
 * @param rowsUpdated rows the commit updated in place (an upsert's matched rows)
 * @param duplicatesRemoved rows the dedup before the write dropped from the input
 * @param attempts attempts of the committing statement (more than 1 after concurrent updates)
 * @param jobIds ids of the store's jobs that committed, in order; empty for stores without jobs
 */
public record WriteResult(
    long rowsInserted,
    long rowsDeleted,
    long rowsUpdated,
    long duplicatesRemoved,
    int attempts,
    List<String> jobIds) {

  /**
   * Validates and copies.
   *
   * @param rowsInserted the rows inserted
   * @param rowsDeleted the rows deleted
   * @param rowsUpdated the rows updated
   * @param duplicatesRemoved the duplicates removed
   * @param attempts the attempts
   * @param jobIds the job ids
   * @throws IllegalArgumentException naming the value if a count is negative or {@code jobIds} is
   *     null
   */
  public WriteResult {
    if (rowsInserted < 0 || rowsDeleted < 0 || rowsUpdated < 0 || duplicatesRemoved < 0) {
      throw new IllegalArgumentException(
          "row counts must not be negative, got inserted "
              + rowsInserted
              + ", deleted "
              + rowsDeleted
              + ", updated "
              + rowsUpdated
              + ", duplicates removed "
              + duplicatesRemoved);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
    }
    requireNonNull(jobIds, "jobIds");
    jobIds = List.copyOf(jobIds);
  }

  /**
   * The result of a write that had nothing to do and sent nothing.
   *
   * @return all counts 0, no attempts, no jobs
   */
  public static WriteResult nothing() {
    return new WriteResult(0, 0, 0, 0, 0, List.of());
  }
}
