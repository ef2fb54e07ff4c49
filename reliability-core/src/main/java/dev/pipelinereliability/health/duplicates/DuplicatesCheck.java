package dev.pipelinereliability.health.duplicates;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.validation.DuplicateValidator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one table (or one partition) for rows that share a business key, with a {@link
 * DuplicateValidator}: clean is {@link HealthStatus#OK}, any duplicated key is {@link
 * HealthStatus#FAIL}. There is no warning band: a processor that dedups before writing and replaces
 * partitions atomically never writes a duplicate, so one duplicate means a writer bypassed that
 * path.
 *
 * <p>A validator that throws (table missing, query rejected, backend unreachable) propagates, and
 * {@link dev.pipelinereliability.health.HealthCheckRunner} reports {@link HealthStatus#ERROR}.
 *
 * <p>The name is {@code duplicates:<table>} or {@code duplicates:<table>:<partition value>}.
 * Immutable and thread-safe if the validator is.
 */
public final class DuplicatesCheck implements HealthCheck {
  private final DuplicateValidator validator;
  private final DuplicateCheck check;
  private final String name;

  /**
   * Creates the check.
   *
   * @param validator the backend that counts duplicates
   * @param check the table, key columns, optional partition and sample limit
   * @throws IllegalArgumentException if the resulting name is invalid (for example longer than
   *     {@value CheckResult#MAX_NAME_LENGTH} characters)
   */
  public DuplicatesCheck(DuplicateValidator validator, DuplicateCheck check) {
    this.validator = requireNonNull(validator, "validator");
    this.check = requireNonNull(check, "check");
    this.name =
        CheckResult.validateName(
            "duplicates:" + check.table() + check.partition().map(p -> ":" + p.value()).orElse(""));
  }

  /**
   * Returns one check per configured table, in order, all using {@code validator}.
   *
   * @param validator the validator
   * @param checks the checks
   * @return one check per configured table, in order, all using {@code validator}
   * @throws IllegalArgumentException if two checks would have the same name
   */
  public static List<DuplicatesCheck> forTables(
      DuplicateValidator validator, Collection<DuplicateCheck> checks) {
    List<DuplicatesCheck> result =
        checks.stream().map(c -> new DuplicatesCheck(validator, c)).toList();
    if (result.stream().map(DuplicatesCheck::name).distinct().count() != result.size()) {
      throw new IllegalArgumentException("two duplicate checks share a name: " + checks);
    }
    return result;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs the validator and judges its report.
   *
   * @throws dev.pipelinereliability.validation.ValidationException (or whatever the validator
   *     throws) if the validation could not run
   */
  @Override
  public CheckResult run() {
    DuplicateReport report = validator.validate(check);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("table", check.table());
    details.put("keyColumns", String.join(",", check.keyColumns()));
    check.partition().ifPresent(p -> details.put("partition", p.column() + "=" + p.value()));
    details.put("totalRows", Long.toString(report.totalRows()));
    details.put("distinctKeys", Long.toString(report.distinctKeys()));
    details.put("duplicateKeys", Long.toString(report.duplicateKeys()));
    details.put("excessRows", Long.toString(report.excessRows()));
    if (report.isClean()) {
      return new CheckResult(
          name, HealthStatus.OK, "no duplicate keys in " + report.totalRows() + " rows", details);
    }
    List<DuplicateSample> samples = report.samples();
    for (int i = 0; i < samples.size(); i++) {
      DuplicateSample s = samples.get(i);
      details.put("sample" + (i + 1), s.key() + " x" + s.count());
    }
    return new CheckResult(
        name,
        HealthStatus.FAIL,
        report.excessRows()
            + " excess rows: "
            + report.duplicateKeys()
            + " keys occur more than once ("
            + report.totalRows()
            + " rows, "
            + report.distinctKeys()
            + " distinct keys)",
        details);
  }

  @Override
  public String toString() {
    return "DuplicatesCheck[" + name + "]";
  }
}
