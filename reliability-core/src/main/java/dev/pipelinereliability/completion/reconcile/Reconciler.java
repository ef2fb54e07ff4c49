package dev.pipelinereliability.completion.reconcile;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.LandedRows;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a {@link CompletionTracker}'s state over a range of dates and phases with what really
 * happened, reports the disagreements, and in fix mode repairs them: the library's version of a
 * {@code reconcile_phase3_completion.py --days N [--fix]} script.
 *
 * <pre>{@code
 * Reconciler reconciler = Reconciler.builder(tracker)
 *     .evidence(bigQueryEvidence)                       // optional: what data landed
 *     .outputTable("phase3", "player_game_summary", "nba_analytics.player_game_summary")
 *     .build();
 * ReconcileReport report = reconciler.report(ReconcileScope.lastDays(clock, 7, "phase3"));
 * System.out.print(report.toTable());
 * reconciler.fix(ReconcileScope.lastDays(clock, 7, "phase3"));   // repairs; safe to re-run
 * }</pre>
 *
 * <p>What it finds is listed in {@link FindingKind}. Report mode (the default, {@link #report})
 * reads only. Fix mode ({@link #fix}) repairs through the tracker's own compare-and-set operations
 * ({@link CompletionTracker#markComplete}, {@link CompletionTracker#settle}) with an {@link Audit}
 * of actor {@code reconciler} and reason {@value Trigger#REASON_RECONCILE} (both settable on the
 * {@link Builder}; the reason is also the reason of a trigger it claims), so it is safe while
 * orchestrators run, safe to run twice concurrently, and a second run right after changes nothing.
 * A key whose repair fails (store error, publish failure) is reported with the failure and the run
 * goes on to the next key.
 *
 * <p>Without evidence, the data-based findings are skipped. Processors without an output table are
 * not checked against evidence.
 *
 * <p>Thread-safe if the tracker and evidence are.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final CompletionTracker tracker;
  private final Optional<CompletionEvidence> evidence;
  private final Map<String, Map<String, String>> tables;
  private final Clock clock;
  private final Audit audit;

  private Reconciler(Builder b) {
    this.tracker = b.tracker;
    this.evidence = b.evidence;
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    b.tables.forEach((phase, byProcessor) -> copy.put(phase, Map.copyOf(byProcessor)));
    this.tables = Map.copyOf(copy);
    this.clock = b.clock;
    this.audit = Audit.by(b.actor, b.reason);
  }

  /**
   * Returns a builder for a reconciler of {@code tracker}.
   *
   * @param tracker the tracker to reconcile
   * @return a builder for a reconciler of {@code tracker}
   */
  public static Builder builder(CompletionTracker tracker) {
    return new Builder(tracker);
  }

  /**
   * Reports the findings of {@code scope}. Writes nothing.
   *
   * @param scope the dates and phases
   * @return the findings
   * @throws IllegalArgumentException if a phase of the scope is not configured in the tracker
   * @throws ReliabilityException (a subclass) if the tracker or the evidence could not be read
   */
  public ReconcileReport report(ReconcileScope scope) {
    return run(scope, ReconcileMode.REPORT);
  }

  /**
   * Reports the findings of {@code scope} and repairs every fixable one.
   *
   * @param scope the dates and phases
   * @return the findings, with what fix mode did
   * @throws IllegalArgumentException if a phase of the scope is not configured in the tracker
   * @throws ReliabilityException (a subclass) if the tracker or the evidence could not be read
   */
  public ReconcileReport fix(ReconcileScope scope) {
    return run(scope, ReconcileMode.FIX);
  }

  /**
   * Runs in {@code mode} over {@code scope}.
   *
   * @param scope the dates and phases
   * @param mode report only, or report and fix
   * @return the findings, with what fix mode did
   * @throws IllegalArgumentException if a phase of the scope is not configured in the tracker
   * @throws ReliabilityException (a subclass) if the tracker or the evidence could not be read
   */
  public ReconcileReport run(ReconcileScope scope, ReconcileMode mode) {
    requireNonNull(scope, "scope");
    requireNonNull(mode, "mode");
    CompletionConfig config = tracker.config();
    scope.phases().forEach(config::phase);
    Instant startedAt = clock.instant();
    LandedRows landed = landedRows(scope);
    List<Finding> all = new ArrayList<>();
    int keys = 0;
    for (LocalDate date : scope.dates()) {
      for (String phase : scope.phases()) {
        CompletionKey key = CompletionKey.of(phase, date);
        CompletionState state = tracker.state(key);
        keys++;
        List<Finding> found = find(state, landed, clock.instant());
        if (mode == ReconcileMode.FIX && found.stream().anyMatch(f -> f.kind().fixable())) {
          found = repair(key, found);
        }
        all.addAll(found);
      }
    }
    ReconcileReport report = new ReconcileReport(mode, scope, startedAt, keys, all);
    if (report.hasFindings()) {
      log.warn("reconciliation found {} issue(s):\n{}", all.size(), report.toTable());
    }
    return report;
  }

  private LandedRows landedRows(ReconcileScope scope) {
    if (evidence.isEmpty()) {
      return LandedRows.none();
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String phase : scope.phases()) {
      wanted.addAll(tables.getOrDefault(phase, Map.of()).values());
    }
    if (wanted.isEmpty()) {
      return LandedRows.none();
    }
    return evidence.get().landedRows(wanted, scope.from(), scope.to());
  }

  private List<Finding> find(CompletionState s, LandedRows landed, Instant now) {
    CompletionKey key = s.key();
    List<Finding> out = new ArrayList<>();
    if (s.countDrifted()) {
      out.add(
          finding(
              FindingKind.COUNT_DRIFT,
              key,
              null,
              "stored "
                  + (s.storedCount().isPresent() ? s.storedCount().getAsInt() : "none")
                  + ", derived "
                  + s.completedCount()
                  + " of "
                  + s.expected().size()));
    }
    if (evidence.isPresent()) {
      Map<String, String> byProcessor = tables.getOrDefault(key.phase(), Map.of());
      for (String processor : s.expected()) {
        String table = byProcessor.get(processor);
        if (table == null) {
          continue;
        }
        long rows = landed.rows(table, key.date());
        boolean recorded = s.completion(processor).isPresent();
        if (rows > 0 && !recorded) {
          out.add(
              finding(
                  FindingKind.DATA_WITHOUT_COMPLETION,
                  key,
                  processor,
                  rows + " rows landed in " + table + " but no completion is recorded"));
        } else if (rows == 0 && recorded) {
          out.add(
              finding(
                  FindingKind.COMPLETION_WITHOUT_DATA,
                  key,
                  processor,
                  "completion recorded but no rows in " + table));
        }
      }
    }
    if (s.allComplete() && !s.triggered()) {
      out.add(
          finding(
              FindingKind.COMPLETE_NOT_TRIGGERED,
              key,
              null,
              "all " + s.expected().size() + " expected processors complete, never triggered"));
    }
    Optional<DeadlinePolicy> deadline = tracker.config().phase(key.phase()).deadline();
    if (!s.triggered()
        && !s.allComplete()
        && deadline.isPresent()
        && deadline.get().passed(s, now)) {
      out.add(
          finding(
              FindingKind.DEADLINE_NOT_TRIGGERED,
              key,
              null,
              deadline.get().describe(s)
                  + " passed with "
                  + s.completedCount()
                  + " of "
                  + s.expected().size()
                  + " complete (minimum "
                  + deadline.get().minimumProcessors()
                  + "), never triggered; missing "
                  + s.missing()));
    }
    s.trigger()
        .filter(t -> !t.confirmed())
        .filter(t -> !now.isBefore(t.claimedAt().plus(tracker.config().unconfirmedClaimTimeout())))
        .ifPresent(
            t ->
                out.add(
                    finding(
                        FindingKind.CLAIMED_NOT_PUBLISHED,
                        key,
                        null,
                        "trigger "
                            + t.id()
                            + " claimed at "
                            + t.claimedAt()
                            + ", publication never confirmed")));
    return out;
  }

  private static Finding finding(
      FindingKind kind, CompletionKey key, @Nullable String processor, String detail) {
    return new Finding(kind, key, Optional.ofNullable(processor), detail, Optional.empty());
  }

  private static final Set<FindingKind> SETTLED_BY_SETTLE =
      EnumSet.of(
          FindingKind.COUNT_DRIFT,
          FindingKind.COMPLETE_NOT_TRIGGERED,
          FindingKind.DEADLINE_NOT_TRIGGERED,
          FindingKind.CLAIMED_NOT_PUBLISHED);

  private List<Finding> repair(CompletionKey key, List<Finding> found) {
    List<Finding> out = new ArrayList<>();
    boolean repairedAbove = false;
    for (Finding f : found) {
      if (f.kind() != FindingKind.DATA_WITHOUT_COMPLETION) {
        continue;
      }
      String processor = f.processor().orElseThrow();
      String fix;
      try {
        RecordResult r = tracker.markComplete(key, processor, audit);
        fix = "marked complete (" + r.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")";
        if (r.wonTrigger()) {
          fix += "; published trigger " + r.trigger().orElseThrow().id();
        }
        repairedAbove = true;
      } catch (TriggerPublishException e) {
        fix = "marked complete; " + publishFailed(e);
        repairedAbove = true;
      } catch (ReliabilityException e) {
        fix = "failed: " + e.getMessage();
      }
      out.add(f.fixedBy(fix));
    }
    if (found.stream().anyMatch(f -> SETTLED_BY_SETTLE.contains(f.kind()))) {
      String fix;
      try {
        SettleResult r = tracker.settle(key, audit);
        List<String> done = new ArrayList<>(r.changes());
        r.published().ifPresent(t -> done.add("published trigger " + t.id()));
        fix =
            !done.isEmpty()
                ? String.join("; ", done)
                : repairedAbove
                    ? "repaired by marking the missing completions"
                    : "nothing left to repair (repaired concurrently)";
      } catch (TriggerPublishException e) {
        fix = publishFailed(e);
      } catch (ReliabilityException e) {
        fix = "failed: " + e.getMessage();
      }
      for (Finding f : found) {
        if (SETTLED_BY_SETTLE.contains(f.kind())) {
          out.add(f.fixedBy(fix));
        }
      }
    }
    for (Finding f : found) {
      if (!f.kind().fixable()) {
        out.add(f);
      }
    }
    return out;
  }

  private static String publishFailed(TriggerPublishException e) {
    return "claimed trigger "
        + e.trigger().id()
        + " but publishing failed ("
        + (e.getCause() == null ? "unknown" : e.getCause().getMessage())
        + "); a later run publishes it again with the same id";
  }

  /** Builds a {@link Reconciler}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final CompletionTracker tracker;
    private Optional<CompletionEvidence> evidence = Optional.empty();
    private final Map<String, Map<String, String>> tables = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private String actor = "reconciler";
    private String reason = Trigger.REASON_RECONCILE;

    private Builder(CompletionTracker tracker) {
      this.tracker = requireNonNull(tracker, "tracker");
    }

    /**
     * Sets what says which data landed; without it, data-based findings are skipped.
     *
     * @param evidence the evidence
     * @return this builder
     */
    public Builder evidence(CompletionEvidence evidence) {
      this.evidence = Optional.of(requireNonNull(evidence, "evidence"));
      return this;
    }

    /**
     * Names the table {@code processor} of {@code phase} writes, as the evidence understands it.
     *
     * @param phase a configured phase
     * @param processor a processor the phase expects
     * @param table the table, as the evidence names it
     * @return this builder
     * @throws IllegalArgumentException if the phase is not configured in the tracker or does not
     *     expect the processor, or the table name is blank
     */
    public Builder outputTable(String phase, String processor, String table) {
      PhaseConfig config = tracker.config().phase(phase);
      if (!config.expects(requireNonNull(processor, "processor"))) {
        throw new IllegalArgumentException(
            "phase " + phase + " does not expect processor '" + processor + "'");
      }
      if (requireNonNull(table, "table").isBlank()) {
        throw new IllegalArgumentException("table of " + processor + " must not be blank");
      }
      tables.computeIfAbsent(phase, p -> new LinkedHashMap<>()).put(processor, table);
      return this;
    }

    /**
     * Sets the clock that decides "now" for unconfirmed claims and report times; use the tracker's.
     *
     * @param clock the clock; use the tracker's
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the actor of fix mode's audit entries; {@code reconciler} by default.
     *
     * @param actor the actor name
     * @return this builder
     * @throws IllegalArgumentException if blank or longer than {@value Audit#MAX_ACTOR}
     */
    public Builder actor(String actor) {
      Audit.by(actor, Trigger.REASON_RECONCILE);
      this.actor = actor;
      return this;
    }

    /**
     * Sets the reason of fix mode's audit entries and of the triggers it claims, such as an
     * operator's ticket; {@value Trigger#REASON_RECONCILE} by default.
     *
     * @param reason why this run repairs, in words an operator reading the audit trail understands
     * @return this builder
     * @throws IllegalArgumentException if blank, longer than {@value Audit#MAX_REASON} or holding
     *     control characters
     */
    public Builder reason(String reason) {
      Audit.by(actor, reason);
      this.reason = reason;
      return this;
    }

    /**
     * Returns the reconciler.
     *
     * @return the reconciler
     */
    public Reconciler build() {
      return new Reconciler(this);
    }
  }
}
