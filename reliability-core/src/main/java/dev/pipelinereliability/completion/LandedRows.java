package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows that landed, per table and date, as reported by a {@link CompletionEvidence}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param counts rows by table name, then by date; counts are zero or positive
 */
public record LandedRows(Map<String, Map<LocalDate, Long>> counts) {
  /**
   * Validates and copies the counts.
   *
   * @param counts rows by table name, then by date; counts are zero or positive
   * @throws IllegalArgumentException if a count is negative
   */
  public LandedRows {
    Map<String, Map<LocalDate, Long>> copy = new TreeMap<>();
    requireNonNull(counts, "counts")
        .forEach(
            (table, byDate) -> {
              Map<LocalDate, Long> dates = new TreeMap<>();
              requireNonNull(byDate, "counts of " + table)
                  .forEach(
                      (date, n) -> {
                        if (requireNonNull(n, "count") < 0) {
                          throw new IllegalArgumentException(
                              "row count of " + table + " on " + date + " is negative: " + n);
                        }
                        dates.put(requireNonNull(date, "date"), n);
                      });
              copy.put(requireNonNull(table, "table"), Collections.unmodifiableMap(dates));
            });
    counts = Collections.unmodifiableMap(copy);
  }

  /**
   * Returns no rows anywhere.
   *
   * @return no rows anywhere
   */
  public static LandedRows none() {
    return new LandedRows(Map.of());
  }

  /**
   * Returns the rows that landed in {@code table} on {@code date}; 0 if none were reported.
   *
   * @param table the table
   * @param date the date
   * @return the rows that landed in {@code table} on {@code date}; 0 if none were reported
   */
  public long rows(String table, LocalDate date) {
    return counts.getOrDefault(table, Map.of()).getOrDefault(date, 0L);
  }
}
