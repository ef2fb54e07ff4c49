package dev.pipelinereliability.write;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.validation.PartitionFilter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argument checks every {@link PartitionWriter} runs before it writes anything, so a bad call
 * fails with the same {@link IllegalArgumentException} and the same message on every backend, and
 * the partition texts the writers and their exceptions share.
 *
 * <p>Stateless and thread-safe.
 */
public final class WriteArguments {
  private WriteArguments() {}

  /**
   * Checks a table id is present.
   *
   * @param table the table id
   * @return {@code table}
   * @throws NullPointerException if {@code table} is null
   * @throws IllegalArgumentException if {@code table} is blank ({@code table is blank: '...'}, as
   *     {@code DuplicateCheck} says it)
   */
  public static String requireTable(String table) {
    requireNonNull(table, "table");
    if (table.isBlank()) {
      throw new IllegalArgumentException("table is blank: '" + table + "'");
    }
    return table;
  }

  /**
   * Checks the caller chose a fence: a lock's, or explicitly none.
   *
   * @param fence the fence
   * @return {@code fence}
   * @throws NullPointerException if {@code fence} is null; the message names {@link
   *     Fence#unfenced()}
   */
  public static Fence requireFence(Fence fence) {
    requireNonNull(
        fence,
        "fence must not be null: pass Fence.of(lockHandle), or Fence.unfenced() to write without"
            + " a lock");
    return fence;
  }

  /**
   * Checks a replace's guard is present.
   *
   * @param guard the guard
   * @return {@code guard}
   * @throws NullPointerException if {@code guard} is null; the message names {@link
   *     PartialDataGuard#off()}
   */
  public static PartialDataGuard requireGuard(PartialDataGuard guard) {
    requireNonNull(guard, "guard must not be null (use PartialDataGuard.off())");
    return guard;
  }

  /**
   * Checks a partition value is of a type every backend can bind ({@code LocalDate}, {@code
   * String}, {@code Long}, {@code Integer}, {@code Short}, {@code Instant}, {@code LocalDateTime},
   * {@code Boolean}, {@code BigDecimal}); BigQuery binds it as a typed parameter, and a {@code
   * double} has no partition type there.
   *
   * @param value the partition value
   * @return {@code value}
   * @throws IllegalArgumentException naming the value and its type otherwise
   */
  public static Object requirePartitionValue(Object value) {
    boolean bindable =
        value instanceof LocalDate
            || value instanceof String
            || value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Instant
            || value instanceof LocalDateTime
            || value instanceof Boolean
            || value instanceof BigDecimal;
    if (!bindable) {
      throw new IllegalArgumentException(
          "unsupported partition value type "
              + (value == null ? "null" : value.getClass().getName())
              + " (use LocalDate, String, Long, Integer, Instant, LocalDateTime, Boolean or"
              + " BigDecimal): "
              + value);
    }
    return value;
  }

  /**
   * The partition value as a fence is keyed by it: {@code toPlainString()} of a {@code BigDecimal},
   * {@code toString()} otherwise (the ISO text of dates and instants).
   *
   * @param value the partition value
   * @return its key text
   * @throws IllegalArgumentException as {@link #requirePartitionValue}
   */
  public static String partitionKey(Object value) {
    requirePartitionValue(value);
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }

  /**
   * Whether {@code row} belongs to {@code partition}: its partition column holds the partition
   * value, compared as keys compare ({@link KeyValues#same}) or by text.
   *
   * @param row the row
   * @param partition the partition
   * @return true if the row is in the partition
   */
  public static boolean inPartition(Map<String, ?> row, PartitionFilter partition) {
    Object v = row.get(partition.column());
    return v != null
        && (KeyValues.same(v, partition.value())
            || v.toString().equals(partition.value().toString()));
  }

  /**
   * Checks every row is present and inside {@code partition}.
   *
   * @param <R> the row type
   * @param rows the rows to write
   * @param partition the partition they must belong to
   * @return {@code rows}
   * @throws NullPointerException if {@code rows} or a row is null (the message names its index)
   * @throws IllegalArgumentException if a row lies outside the partition; the message names the
   *     row's index and value
   */
  public static <R extends Map<String, ?>> List<R> requireRowsInPartition(
      List<R> rows, PartitionFilter partition) {
    requireNonNull(rows, "rows");
    for (int i = 0; i < rows.size(); i++) {
      R row = rows.get(i);
      if (row == null) {
        throw new NullPointerException("row " + i + " is null");
      }
      if (!inPartition(row, partition)) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + partition.column()
                + " = "
                + row.get(partition.column())
                + ", outside the partition "
                + describe(Optional.of(partition)));
      }
    }
    return rows;
  }

  /**
   * The partition as messages and exceptions name it: {@code game_date = 2026-11-23}, or {@code
   * whole table}.
   *
   * @param partition the partition, or empty for the whole table
   * @return the text
   */
  public static String describe(Optional<PartitionFilter> partition) {
    return partition.map(f -> f.column() + " = " + f.value()).orElse("whole table");
  }
}
