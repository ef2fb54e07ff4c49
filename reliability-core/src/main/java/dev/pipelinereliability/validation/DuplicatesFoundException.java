package dev.pipelinereliability.validation;

import dev.pipelinereliability.ReliabilityException;

/**
 * Thrown by {@link DuplicateReport#requireClean()} when a check found duplicate keys; carries the
 * report so the caller can alert with its numbers and samples.
 *
 * <p>Immutable and thread-safe.
 */
public final class DuplicatesFoundException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  private final transient DuplicateReport report;

  /**
   * Creates the exception.
   *
   * @param report the dirty report
   */
  public DuplicatesFoundException(DuplicateReport report) {
    super(
        report.check().table()
            + report
                .check()
                .partition()
                .map(p -> " (" + p.column() + " = " + p.value() + ")")
                .orElse("")
            + ": "
            + report.duplicateKeys()
            + " duplicated key(s), "
            + report.excessRows()
            + " excess row(s) of "
            + report.totalRows()
            + "; samples "
            + report.samples());
    this.report = report;
  }

  /**
   * The report that found the duplicates.
   *
   * @return the report that found the duplicates
   */
  public DuplicateReport report() {
    return report;
  }
}
