package dev.pipelinereliability.health.completion;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.reconcile.Finding;
import dev.pipelinereliability.completion.reconcile.FindingKind;
import dev.pipelinereliability.completion.reconcile.ReconcileReport;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthStatus;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks that completion tracking agrees with what happened, over a range of dates and phases, by
 * running the {@link Reconciler} in report mode: a stored count that differs from the derived one
 * (a stored "3 of 5" with 5 present), a key complete but never triggered, a trigger claimed but
 * never published, data without a completion, a completion without data. The reconciler decides
 * what is a finding; this check only grades them:
 *
 * <ul>
 *   <li>no finding: {@link HealthStatus#OK};
 *   <li>only {@link FindingKind#COMPLETION_WITHOUT_DATA}: {@link HealthStatus#WARN}, because a run
 *       that legitimately wrote nothing looks the same and a person must decide;
 *   <li>any other finding: {@link HealthStatus#FAIL}; each of them stalls or corrupts the next
 *       phase, and {@code Reconciler.fix} repairs them.
 * </ul>
 *
 * <p>The check never writes: it calls {@link Reconciler#report}, never {@code fix}. A tracker or
 * evidence store that cannot be read throws, and {@link
 * dev.pipelinereliability.health.HealthCheckRunner} reports {@link HealthStatus#ERROR}.
 *
 * <p>Immutable and thread-safe if the reconciler is.
 */
public final class CompletionAccuracyCheck implements HealthCheck {
  private static final int MAX_FINDINGS_IN_DETAILS = 20;

  private final Reconciler reconciler;
  private final Supplier<ReconcileScope> scope;
  private final String name;

  private CompletionAccuracyCheck(
      Reconciler reconciler, Supplier<ReconcileScope> scope, String name) {
    this.reconciler = requireNonNull(reconciler, "reconciler");
    this.scope = scope;
    this.name = CheckResult.validateName(name);
  }

  /**
   * Returns the check of a fixed scope, named {@code completion:<phases>:<from>..<to>} (or {@code
   * completion:<phases>:<date>} for one date).
   *
   * @param reconciler the reconciler
   * @param scope the scope
   * @return the check of a fixed scope, named {@code completion:<phases>:<from>..<to>} (or {@code
   *     completion:<phases>:<date>} for one date)
   */
  public static CompletionAccuracyCheck of(Reconciler reconciler, ReconcileScope scope) {
    requireNonNull(scope, "scope");
    String dates =
        scope.from().equals(scope.to())
            ? scope.from().toString()
            : scope.from() + ".." + scope.to();
    return new CompletionAccuracyCheck(
        reconciler, () -> scope, "completion:" + String.join(",", scope.phases()) + ":" + dates);
  }

  /**
   * Returns the check of the last {@code days} dates up to today in {@code clock}'s zone, computed
   * when the check runs (a script's {@code --days N}), named {@code
   * completion:<phases>:last<days>d} so that alert suppression sees the same finding from one day
   * to the next.
   *
   * @param reconciler the reconciler
   * @param clock the clock
   * @param days the days
   * @param phases the phases
   * @return the check of the last {@code days} dates up to today in {@code clock}'s zone, computed
   *     when the check runs (a script's {@code --days N}), named {@code
   *     completion:<phases>:last<days>d} so that alert suppression sees the same finding from one
   *     day to the next
   * @throws IllegalArgumentException if {@code days} or {@code phases} are invalid for {@link
   *     ReconcileScope#lastDays}
   */
  public static CompletionAccuracyCheck lastDays(
      Reconciler reconciler, Clock clock, int days, String... phases) {
    requireNonNull(clock, "clock");
    ReconcileScope.lastDays(clock, days, phases); // validates now rather than at the first run
    return new CompletionAccuracyCheck(
        reconciler,
        () -> ReconcileScope.lastDays(clock, days, phases),
        "completion:" + String.join(",", phases) + ":last" + days + "d");
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs the reconciler in report mode and grades its findings.
   *
   * @throws dev.pipelinereliability.ReliabilityException (a subclass) if the tracker or evidence
   *     could not be read
   */
  @Override
  public CheckResult run() {
    ReconcileScope s = scope.get();
    ReconcileReport report = reconciler.report(s);
    List<Finding> findings = report.findings();

    Map<String, String> details = new LinkedHashMap<>();
    details.put("phases", String.join(",", s.phases()));
    details.put("from", s.from().toString());
    details.put("to", s.to().toString());
    details.put("keysChecked", Integer.toString(report.keysChecked()));
    details.put("findings", Integer.toString(findings.size()));
    if (findings.isEmpty()) {
      return new CheckResult(
          name,
          HealthStatus.OK,
          report.keysChecked() + " keys checked; tracker state agrees with the derived state",
          details);
    }

    Map<FindingKind, Integer> byKind = new EnumMap<>(FindingKind.class);
    for (Finding f : findings) {
      byKind.merge(f.kind(), 1, Integer::sum);
    }
    byKind.forEach((kind, n) -> details.put(kind.label(), Integer.toString(n)));
    for (int i = 0; i < Math.min(findings.size(), MAX_FINDINGS_IN_DETAILS); i++) {
      Finding f = findings.get(i);
      details.put(
          "finding" + (i + 1),
          f.key()
              + " "
              + f.kind().label()
              + f.processor().map(p -> " " + p).orElse("")
              + ": "
              + f.detail());
    }
    // The same rule as fix mode's: what it cannot repair waits for a person, a warning.
    boolean onlyNeedsHuman = byKind.keySet().stream().noneMatch(FindingKind::fixable);
    StringBuilder message = new StringBuilder();
    message.append(findings.size()).append(findings.size() == 1 ? " finding" : " findings");
    message.append(" in ").append(report.keysChecked()).append(" keys:");
    String sep = " ";
    for (Map.Entry<FindingKind, Integer> e : byKind.entrySet()) {
      message.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
      sep = ", ";
    }
    return new CheckResult(
        name, onlyNeedsHuman ? HealthStatus.WARN : HealthStatus.FAIL, message.toString(), details);
  }

  @Override
  public String toString() {
    return "CompletionAccuracyCheck[" + name + "]";
  }
}
