package dev.pipelinereliability.completion.reconcile;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.internal.JsonWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link Reconciler} run found and, in fix mode, repaired. Available as a value, as JSON
 * ({@link #toJson()}) for logs and dashboards, and as a table ({@link #toTable()}) for a terminal.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode report or fix
 * @param scope the phases and dates checked
 * @param generatedAt when the run started, by the reconciler's clock
 * @param keysChecked how many (phase, date) keys were read
 * @param findings every finding, grouped by key in the scope's order (date, then phase); within a
 *     key in the order the reconciler found (report mode) or repaired (fix mode) them
 */
public record ReconcileReport(
    ReconcileMode mode,
    ReconcileScope scope,
    Instant generatedAt,
    int keysChecked,
    List<Finding> findings) {

  /**
   * Validates and creates a report.
   *
   * @param mode report or fix
   * @param scope the phases and dates checked
   * @param generatedAt when the run started, by the reconciler's clock
   * @param keysChecked how many (phase, date) keys were read
   * @param findings every finding, grouped by key in the scope's order (date, then phase); within a
   *     key in the order the reconciler found (report mode) or repaired (fix mode) them
   */
  public ReconcileReport {
    requireNonNull(mode, "mode");
    requireNonNull(scope, "scope");
    requireNonNull(generatedAt, "generatedAt");
    if (keysChecked < 0) {
      throw new IllegalArgumentException("keysChecked must not be negative: " + keysChecked);
    }
    findings = List.copyOf(requireNonNull(findings, "findings"));
  }

  /**
   * Whether anything disagreed.
   *
   * @return whether anything disagreed
   */
  public boolean hasFindings() {
    return !findings.isEmpty();
  }

  /**
   * Whether fix mode wrote anything. Always false in report mode.
   *
   * @return whether fix mode wrote anything
   */
  public boolean changed() {
    return findings.stream().anyMatch(f -> f.fix().isPresent());
  }

  /**
   * Findings fix mode does not repair and a human must look at.
   *
   * @return those findings, in report order
   */
  public List<Finding> needsHuman() {
    return findings.stream().filter(f -> !f.kind().fixable()).toList();
  }

  /**
   * Returns the report as one compact JSON object:
   *
   * <pre>{@code
   * {"mode":"fix","from":"2026-02-01","to":"2026-02-03","phases":["phase3"],
   *  "generated_at":"2026-02-04T14:00:00Z","keys_checked":3,"changed":true,
   *  "findings":[{"kind":"count_drift","phase":"phase3","date":"2026-02-03",
   *    "processor":null,"detail":"stored 3, derived 5","fix":"count 3 -> 5"}]}
   * }</pre>
   *
   * @return the report as one compact JSON object:
   *     <pre>
   *     {@code {"mode":"fix","from":"2026-02-01","to":"2026-02-03","phases":["phase3"], "generated_at":"2026-02-04T14:00:00Z","keys_checked":3,"changed":true, "findings":[{"kind":"count_drift","phase":"phase3","date":"2026-02-03", "processor":null,"detail":"stored 3, derived 5","fix":"count 3 -> 5"}]} }
   *     </pre>
   *     /
   */
  public String toJson() {
    JsonWriter w = new JsonWriter().beginObject();
    w.name("mode").value(mode.name().toLowerCase(java.util.Locale.ROOT));
    w.name("from").value(scope.from().toString());
    w.name("to").value(scope.to().toString());
    w.name("phases").beginArray();
    scope.phases().forEach(w::value);
    w.endArray();
    w.name("generated_at").value(generatedAt.toString());
    w.name("keys_checked").value(keysChecked);
    w.name("changed").value(changed());
    w.name("findings").beginArray();
    for (Finding f : findings) {
      w.beginObject();
      w.name("kind").value(f.kind().label());
      w.name("phase").value(f.key().phase());
      w.name("date").value(f.key().date().toString());
      w.name("processor").value(f.processor().orElse(null));
      w.name("detail").value(f.detail());
      w.name("fix").value(f.fix().orElse(null));
      w.endObject();
    }
    return w.endArray().endObject().toJson();
  }

  /**
   * Returns the report as a plain-text table, one finding per row, with a summary line first. Cells
   * are single-line: line breaks inside a value print as spaces.
   *
   * @return the report as a plain-text table, one finding per row, with a summary line first
   */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append("Reconciliation (")
        .append(mode.name().toLowerCase(java.util.Locale.ROOT))
        .append(") of ")
        .append(String.join(", ", scope.phases()))
        .append(" from ")
        .append(scope.from())
        .append(" to ")
        .append(scope.to())
        .append(": ")
        .append(keysChecked)
        .append(" keys checked, ")
        .append(findings.size())
        .append(findings.size() == 1 ? " finding" : " findings");
    if (mode == ReconcileMode.FIX) {
      long fixed = findings.stream().filter(f -> f.fix().isPresent()).count();
      out.append(", ").append(fixed).append(" fixed");
    }
    out.append('\n');
    if (findings.isEmpty()) {
      return out.append("No findings.\n").toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"DATE", "PHASE", "FINDING", "PROCESSOR", "DETAIL", "FIX"});
    for (Finding f : findings) {
      rows.add(
          new String[] {
            f.key().date().toString(),
            f.key().phase(),
            f.kind().label(),
            f.processor().orElse("-"),
            f.detail(),
            f.fix().orElse(f.kind().fixable() ? "-" : "needs a human")
          });
    }
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = row[i].replaceAll("\\R", " ");
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
