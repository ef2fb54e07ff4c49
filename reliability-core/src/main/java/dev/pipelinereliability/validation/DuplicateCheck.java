package dev.pipelinereliability.validation;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link DuplicateValidator} checks: a table, its business key columns, optionally one
 * partition, and how many sample keys to return.
 *
 * <p>The table id is backend-specific ({@code dataset.table} or {@code project.dataset.table} for
 * BigQuery); backends validate it and the column names before sending anything.
 *
 * <p>Immutable and thread-safe.
 *
 * @param table the table id
 * @param keyColumns the business key columns, at least one, no repeats
 * @param partition the partition to check, or empty for the whole table
 * @param sampleLimit how many duplicate keys to return as samples, 0 to {@value #MAX_SAMPLE_LIMIT}
 */
public record DuplicateCheck(
    String table, List<String> keyColumns, Optional<PartitionFilter> partition, int sampleLimit) {

  /** The largest {@link #sampleLimit()} accepted. */
  public static final int MAX_SAMPLE_LIMIT = 1000;

  /** The sample limit {@link #of} uses. */
  public static final int DEFAULT_SAMPLE_LIMIT = 10;

  /**
   * Validates and copies.
   *
   * @param table the table
   * @param keyColumns the key columns
   * @param partition the partition
   * @param sampleLimit the sample limit
   * @throws IllegalArgumentException if the table or a column is blank, a column repeats, no column
   *     is given, or the sample limit is out of range; the message names the value
   */
  public DuplicateCheck {
    requireNonNull(table, "table");
    if (table.isBlank()) {
      throw new IllegalArgumentException("table is blank: '" + table + "'");
    }
    requireNonNull(keyColumns, "keyColumns");
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is needed, got " + keyColumns);
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      String c = keyColumns.get(i);
      if (c == null) {
        throw new NullPointerException("key column " + i + " is null");
      }
      if (c.isBlank()) {
        throw new IllegalArgumentException("key column " + i + " is blank: '" + c + "'");
      }
      if (keyColumns.indexOf(c) != i) {
        throw new IllegalArgumentException("key column '" + c + "' repeats in " + keyColumns);
      }
    }
    if (partition == null) {
      throw new IllegalArgumentException("partition must be Optional.empty(), not null");
    }
    if (sampleLimit < 0 || sampleLimit > MAX_SAMPLE_LIMIT) {
      throw new IllegalArgumentException(
          "sampleLimit must be 0.." + MAX_SAMPLE_LIMIT + ", got " + sampleLimit);
    }
    keyColumns = List.copyOf(keyColumns);
  }

  /**
   * A check of the whole table with {@value #DEFAULT_SAMPLE_LIMIT} samples.
   *
   * @param table the table id
   * @param keyColumns the business key columns
   * @return the check
   * @throws IllegalArgumentException as the constructor
   */
  public static DuplicateCheck of(String table, List<String> keyColumns) {
    return new DuplicateCheck(table, keyColumns, Optional.empty(), DEFAULT_SAMPLE_LIMIT);
  }

  /**
   * This check restricted to rows where {@code column = value}.
   *
   * @param column the partition column
   * @param value the partition value, for example a {@code LocalDate}
   * @return a new check
   * @throws IllegalArgumentException as {@link PartitionFilter}
   */
  public DuplicateCheck inPartition(String column, Object value) {
    return new DuplicateCheck(
        table, keyColumns, Optional.of(new PartitionFilter(column, value)), sampleLimit);
  }

  /**
   * This check with another sample limit.
   *
   * @param limit 0 to {@value #MAX_SAMPLE_LIMIT}
   * @return a new check
   * @throws IllegalArgumentException if out of range
   */
  public DuplicateCheck withSampleLimit(int limit) {
    return new DuplicateCheck(table, keyColumns, partition, limit);
  }
}
