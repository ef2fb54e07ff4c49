package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.validation.DuplicateReport;

/**
 * What a duplicate cleanup would do, found without changing anything: the duplicate report (its
 * {@link DuplicateReport#excessRows()} is how many rows the cleanup removes) and the one statement
 * that would run.
 *
 * <p>Immutable and thread-safe.
 *
 * @param report the duplicate check of the table or partition
 * @param keep which row per key survives
 * @param sql the cleanup statement ({@code @partition_value} is bound when it runs), for display:
 *     {@link BigQueryWriter#cleanup} rebuilds it from {@code report} and {@code keep}
 */
public record CleanupPlan(DuplicateReport report, Keep keep, String sql) {

  /**
   * Rows the cleanup would delete.
   *
   * @return rows the cleanup would delete
   */
  public long rowsToRemove() {
    return report.excessRows();
  }
}
