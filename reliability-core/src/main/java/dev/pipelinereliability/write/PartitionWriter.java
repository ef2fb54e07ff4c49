package dev.pipelinereliability.write;

import dev.pipelinereliability.validation.PartitionFilter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a processor's output so that neither a stale lock holder nor partial data can damage a
 * table. Every implementation guarantees, for each call:
 *
 * <ul>
 *   <li><b>Atomic</b>: readers see the partition (or table) as before the call or as after it,
 *       never a mix; a refusal ({@link StaleFenceException}, {@link PartialDataException}) or
 *       invalid input leaves it unchanged. A call whose store failed in a way that says nothing
 *       about the commit (for BigQuery, a network error or a lost answer after the script was sent)
 *       may have committed: call again with the same fence, which the fence accepts and which
 *       writes the same result.
 *   <li><b>Fenced</b>: with a fenced {@link Fence}, the commit happens only if its token is at
 *       least the highest token committed before for the same table and partition, and then stores
 *       the token; otherwise {@link StaleFenceException} and nothing changes. The check and the
 *       data change are one atomic unit, so a writer that stalls between its lock check and its
 *       commit is still refused. The same token may commit again (a retry by the same holder).
 *   <li><b>Guarded</b> (replace): with a guard that {@link PartialDataGuard#refuses refuses} the
 *       change from the partition's current row count to the new one, {@link PartialDataException}
 *       and nothing changes.
 * </ul>
 *
 * <p>Rows are maps from column name to value; a replaced partition holds exactly the given rows
 * afterwards. Implementations are thread-safe. {@code reliability-testkit}'s {@code
 * PartitionWriterContract} pins these guarantees for every implementation.
 */
public interface PartitionWriter {

  /**
   * Replaces every row of one partition with {@code rows} under this writer's default {@link
   * PartialDataGuard}.
   *
   * @param table the table id
   * @param partition the partition column and value
   * @param rows the new rows, each carrying the partition value; dedup them first
   * @param fence the caller's lock fence, or {@link Fence#unfenced()}
   * @return what the commit did
   * @throws IllegalArgumentException if an identifier is invalid or a row lies outside the
   *     partition; nothing is sent
   * @throws StaleFenceException if a later token was committed for this partition
   * @throws PartialDataException if the default guard refuses the new row count
   * @throws dev.pipelinereliability.ReliabilityException if the store fails otherwise; unless the
   *     failure left the outcome unknown (see Atomic above), the partition is unchanged
   */
  WriteResult replacePartition(
      String table, PartitionFilter partition, List<? extends Map<String, ?>> rows, Fence fence);

  /**
   * Replaces every row of one partition with {@code rows} under {@code guard} for this call.
   *
   * @param table the table id
   * @param partition the partition column and value
   * @param rows the new rows, each carrying the partition value; dedup them first
   * @param fence the caller's lock fence, or {@link Fence#unfenced()}
   * @param guard the partial-data guard for this call; {@link PartialDataGuard#off()} to allow any
   *     shrink
   * @return what the commit did
   * @throws IllegalArgumentException if an identifier is invalid or a row lies outside the
   *     partition; nothing is sent
   * @throws StaleFenceException if a later token was committed for this partition
   * @throws PartialDataException if {@code guard} refuses the new row count
   * @throws dev.pipelinereliability.ReliabilityException if the store fails otherwise; unless the
   *     failure left the outcome unknown (see Atomic above), the partition is unchanged
   */
  WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard);

  /**
   * Inserts or updates rows by key: the input is deduplicated by {@code keyColumns} (keeping the
   * latest by {@code versionColumn} when given, else the first), then matched rows are updated
   * (never by an older version) and the others inserted. The fence is kept per {@code partition},
   * or for the whole table when no partition is given.
   *
   * @param table the table id
   * @param keyColumns the business key
   * @param versionColumn the column that says which row is newer, or empty
   * @param partition the one partition the rows belong to, or empty for the whole table
   * @param rows the rows
   * @param fence the caller's lock fence, or {@link Fence#unfenced()}
   * @return what the commit did, with the duplicates the dedup removed
   * @throws IllegalArgumentException if an identifier is invalid, a row lacks a key column or lies
   *     outside {@code partition}; nothing is sent
   * @throws StaleFenceException if a later token was committed for this partition (or table)
   * @throws dev.pipelinereliability.ReliabilityException if the store fails otherwise; unless the
   *     failure left the outcome unknown (see Atomic above), the table is unchanged
   */
  WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence);
}
