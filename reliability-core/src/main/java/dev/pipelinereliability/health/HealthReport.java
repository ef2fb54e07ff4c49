package dev.pipelinereliability.health;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.pipelinereliability.health.internal.Text;
import dev.pipelinereliability.internal.JsonWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of one run of health checks, in the order the checks ran, with the exit code a
 * scheduled job should end with:
 *
 * <ul>
 *   <li>{@code 0}: every check is {@link HealthStatus#OK} (a report with no checks is also 0);
 *   <li>{@code 1}: every check ran, and at least one found an issue ({@link HealthStatus#WARN} or
 *       {@link HealthStatus#FAIL});
 *   <li>{@code 2}: at least one check could not run ({@link HealthStatus#ERROR}), whatever the
 *       others found, because the picture is incomplete. An unreachable backend is a 2, never a 0.
 * </ul>
 *
 * <p>A warning counts as an issue: a job that exits 0 must mean "nothing to look at". Callers that
 * want dbt's "warnings do not fail" behaviour can map {@link #status()} themselves.
 *
 * <p>Renders as a table for people ({@link #toTable()}) and as JSON for machines ({@link
 * #toJson()}). Immutable and thread-safe.
 *
 * @param generatedAt when the run started, from the runner's clock
 * @param results one result per check, in run order, names unique
 */
public record HealthReport(Instant generatedAt, List<CheckResult> results) {
  /** Exit code of a report whose checks are all OK. */
  public static final int EXIT_OK = 0;

  /** Exit code of a report in which some check found an issue and every check ran. */
  public static final int EXIT_ISSUES = 1;

  /** Exit code of a report in which some check could not run. */
  public static final int EXIT_ERROR = 2;

  /**
   * Validates and creates a report.
   *
   * @param generatedAt the generated at
   * @param results the results
   * @throws NullPointerException if an argument or a result is null
   * @throws IllegalArgumentException if two results share a name; the message names it
   */
  public HealthReport {
    requireNonNull(generatedAt, "generatedAt");
    results = ImmutableList.copyOf(results);
    Set<String> names = new HashSet<>();
    for (CheckResult r : results) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("duplicate check name '" + r.name() + "' in report");
      }
    }
  }

  /**
   * Returns the worst status of any result, or {@link HealthStatus#OK} when there are none.
   *
   * @return the worst status of any result, or {@link HealthStatus#OK} when there are none
   */
  public HealthStatus status() {
    HealthStatus worst = HealthStatus.OK;
    for (CheckResult r : results) {
      worst = worst.worst(r.status());
    }
    return worst;
  }

  /**
   * Returns the process exit code for this report: 0, 1 or 2 (see the class documentation).
   *
   * @return the process exit code for this report: 0, 1 or 2 (see the class documentation)
   */
  public int exitCode() {
    return switch (status()) {
      case OK -> EXIT_OK;
      case WARN, FAIL -> EXIT_ISSUES;
      case ERROR -> EXIT_ERROR;
    };
  }

  /**
   * Returns how many results have each status; every status is present, possibly with 0.
   *
   * @return how many results have each status; every status is present, possibly with 0
   */
  public Map<HealthStatus, Integer> counts() {
    Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
    for (HealthStatus s : HealthStatus.values()) {
      counts.put(s, 0);
    }
    for (CheckResult r : results) {
      counts.merge(r.status(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Returns the results that are not {@link HealthStatus#OK}, in run order.
   *
   * @return the results that are not {@link HealthStatus#OK}, in run order
   */
  public List<CheckResult> issues() {
    return results.stream().filter(CheckResult::isIssue).collect(ImmutableList.toImmutableList());
  }

  /**
   * Returns the report as a plain-text table for a terminal or a log: one row per check (status,
   * name, message), its details indented below it, and a summary line with the exit code. Control
   * characters in names, messages and details are flattened so no value can forge a row.
   *
   * @return the report as a plain-text table for a terminal or a log: one row per check (status,
   *     name, message), its details indented below it, and a summary line with the exit code
   */
  public String toTable() {
    int nameWidth = "CHECK".length();
    for (CheckResult r : results) {
      nameWidth = Math.max(nameWidth, Text.oneLine(r.name()).length());
    }
    String rowFormat = "%-6s  %-" + nameWidth + "s  %s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(rowFormat, "STATUS", "CHECK", "MESSAGE"));
    for (CheckResult r : results) {
      out.append(
          String.format(rowFormat, r.status(), Text.oneLine(r.name()), Text.oneLine(r.message())));
      for (Map.Entry<String, String> d : r.details().entrySet()) {
        out.append(
            String.format(
                "%-6s  %-" + nameWidth + "s    %s: %s%n",
                "",
                "",
                Text.oneLine(d.getKey()),
                Text.oneLine(d.getValue())));
      }
    }
    Map<HealthStatus, Integer> counts = counts();
    out.append(
        String.format(
            "%s: %d check%s, %d ok, %d warn, %d fail, %d error; exit code %d (generated %s)%n",
            status(),
            results.size(),
            results.size() == 1 ? "" : "s",
            counts.get(HealthStatus.OK),
            counts.get(HealthStatus.WARN),
            counts.get(HealthStatus.FAIL),
            counts.get(HealthStatus.ERROR),
            exitCode(),
            generatedAt));
    return out.toString();
  }

  /**
   * Returns the report as one JSON object:
   *
   * <pre>{@code
   * {"generatedAt":"2024-11-20T12:00:00Z","status":"FAIL","exitCode":1,
   *  "counts":{"OK":1,"WARN":0,"FAIL":1,"ERROR":0},
   *  "checks":[{"name":"...","status":"OK","message":"...","details":{"key":"value"}}, ...]}
   * }</pre>
   *
   * <p>Every string is escaped per RFC 8259, so any message or detail value yields valid JSON.
   * Checks appear in run order, details in insertion order.
   *
   * @return the report as one JSON object:
   *     <pre>
   *     {@code {"generatedAt":"2024-11-20T12:00:00Z","status":"FAIL","exitCode":1, "counts":{"OK":1,"WARN":0,"FAIL":1,"ERROR":0}, "checks":[{"name":"...","status":"OK","message":"...","details":{"key":"value"}}, ...]} }
   *     </pre>
   *     <p>Every string is escaped per RFC 8259, so any message or detail value yields valid JSON
   */
  public String toJson() {
    JsonWriter w = new JsonWriter().beginObject();
    w.name("generatedAt").value(generatedAt.toString());
    w.name("status").value(status().name());
    w.name("exitCode").value(exitCode());
    w.name("counts").beginObject();
    for (Map.Entry<HealthStatus, Integer> c : counts().entrySet()) {
      w.name(c.getKey().name()).value(c.getValue().longValue());
    }
    w.endObject().name("checks").beginArray();
    for (CheckResult r : results) {
      w.beginObject();
      w.name("name").value(r.name());
      w.name("status").value(r.status().name());
      w.name("message").value(r.message());
      w.name("details").beginObject();
      for (Map.Entry<String, String> d : r.details().entrySet()) {
        w.name(d.getKey()).value(d.getValue());
      }
      w.endObject().endObject();
    }
    return w.endArray().endObject().toJson();
  }
}
