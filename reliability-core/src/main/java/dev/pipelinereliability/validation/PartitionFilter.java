package dev.pipelinereliability.validation;

import static java.util.Objects.requireNonNull;

/**
 * Restricts a duplicate check to one partition: rows where {@code column = value}, for example
 * {@code game_date = 2026-11-23}. Backends send the value as a bound query parameter, never as SQL
 * text.
 *
 * <p>Immutable and thread-safe.
 *
 * @param column the partition column name
 * @param value the value to match, for example a {@code LocalDate}; never null
 */
public record PartitionFilter(String column, Object value) {
  /**
   * Validates.
   *
   * @param column the column
   * @param value the value
   * @throws IllegalArgumentException if {@code column} is blank
   * @throws NullPointerException if {@code column} or {@code value} is null
   */
  public PartitionFilter {
    requireNonNull(column, "column");
    if (column.isBlank()) {
      throw new IllegalArgumentException("partition column is blank: '" + column + "'");
    }
    requireNonNull(value, "value");
  }
}
