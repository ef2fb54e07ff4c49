package dev.pipelinereliability.examples.warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * How an example processor reads its upstream table: the committed rows of one date. Writes go
 * through the library's {@code PartitionWriter}; this is only the read side.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface TableReader {

  /**
   * Returns a snapshot of the committed rows of {@code table} for {@code date}.
   *
   * @param table the table
   * @param date the partition
   * @return the rows; empty if none
   */
  List<Map<String, Object>> rows(String table, LocalDate date);
}
