package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.bigquery.internal.Columns;

/**
 * Which row per key a cleanup keeps: the first or the latest by an order column (for example {@code
 * processed_at}). Ties, and NULLs (first for {@link #firstBy}, last for {@link #latestBy}, as
 * BigQuery orders them), are broken by the row's JSON text so the choice is deterministic.
 *
 * <p>Immutable and thread-safe.
 *
 * @param orderColumn the column that orders rows of one key
 * @param latest true to keep the greatest value, false for the smallest
 */
public record Keep(String orderColumn, boolean latest) {
  /**
   * Validates.
   *
   * @param orderColumn the order column
   * @param latest the latest
   * @throws IllegalArgumentException if the column name is invalid
   */
  public Keep {
    Columns.validate(orderColumn);
  }

  /**
   * Keep the row with the greatest {@code column}.
   *
   * @param column the order column
   * @return the rule
   */
  public static Keep latestBy(String column) {
    return new Keep(column, true);
  }

  /**
   * Keep the row with the smallest {@code column}.
   *
   * @param column the order column
   * @return the rule
   */
  public static Keep firstBy(String column) {
    return new Keep(column, false);
  }
}
