package dev.pipelinereliability.completion;

import java.time.LocalDate;
import java.util.Set;

/**
 * Says what data actually landed, independently of what processors reported: rows per table per
 * date. The reconciler compares it with tracker state to find completions that were lost (data
 * landed, no completion) and completions without data.
 *
 * <p>The BigQuery module implements it with one query per table over the date range; the testkit
 * has an in-memory one. Table names are whatever the implementation understands (for BigQuery,
 * {@code dataset.table}); the reconciler only passes back the names it was configured with.
 *
 * <p>Implementations are thread-safe and read-only.
 */
@FunctionalInterface
public interface CompletionEvidence {
  /**
   * Counts the rows that landed in each of {@code tables} for each date from {@code from} to {@code
   * to}, both inclusive.
   *
   * @param tables the tables to look at, as the evidence names them
   * @param from the first date, inclusive
   * @param to the last date, inclusive
   * @return the counts; a table and date without rows may be absent or zero
   * @throws IllegalArgumentException if a table name is not acceptable to this implementation or
   *     {@code to} is before {@code from}
   * @throws dev.pipelinereliability.ReliabilityException (a subclass) if the data could not be read
   */
  LandedRows landedRows(Set<String> tables, LocalDate from, LocalDate to);
}
