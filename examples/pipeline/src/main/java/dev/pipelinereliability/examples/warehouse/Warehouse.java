package dev.pipelinereliability.examples.warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The write path the example processors use: replace one date partition of a table atomically, and
 * read it back for validation.
 *
 * <p>Implementations are thread-safe.
 */
public interface Warehouse {

  /**
   * Replaces every row of {@code table} for {@code date} with {@code rows} in one atomic job, so a
   * reader sees either the old partition or the new one and two writers can never interleave into
   * duplicates. {@code beforeCommit} runs right before the committing statement; it throws (for
   * example {@code LockHandle::checkValid}) to stop the write.
   *
   * @throws ConcurrentUpdateException if another job changed the partition meanwhile; nothing was
   *     written and the call may be retried
   */
  void replacePartition(
      String table, LocalDate date, List<Map<String, Object>> rows, Runnable beforeCommit);

  /** Returns a snapshot of the committed rows of {@code table} for {@code date}. */
  List<Map<String, Object>> rows(String table, LocalDate date);
}
