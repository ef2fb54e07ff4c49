package dev.pipelinereliability.completion.spi;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.AuditEntry;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.ProcessorNames;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.completion.spi.WriteLoop.Decision;
import dev.pipelinereliability.completion.spi.WriteLoop.Written;
import dev.pipelinereliability.retry.Retrier;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.telemetry.CompletionMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link CompletionTracker}: every decision, over a {@link CompletionStore} of two
 * operations (read with a version, write if unchanged). The Firestore and in-memory trackers are
 * this class over their stores.
 *
 * <p>Guarantees: for each (key, processor, fencing token or none) exactly one call is answered
 * {@code RECORDED}, whatever the concurrency, except after a lost answer (then none is); a
 * completion without a token never replaces a stored one; the claim of a due trigger rides on the
 * write that made it due, so one caller wins it per generation, publishes it and confirms it. A
 * write reported lost or failed that landed anyway is recognised by the id it carried and answered
 * as written. An unconfirmed claim is renewed and re-published only by an audited {@link #settle}.
 *
 * <p>A lost write is retried after the {@link RetryPolicy}'s backoff; when the policy gives up the
 * call throws {@link CompletionStoreException}, and every operation is safe to repeat after it. The
 * module README lists the store calls of each operation.
 *
 * <p>Thread-safe if the store and the publisher are.
 */
public final class StoreBackedCompletionTracker implements CompletionTracker {
  private static final Logger log = LoggerFactory.getLogger(StoreBackedCompletionTracker.class);

  private final CompletionStore store;
  private final CompletionConfig config;
  private final Clock clock;
  private final WriteLoop writes;
  private final TriggerClaims triggers;
  private final CompletionMetrics metrics;

  private StoreBackedCompletionTracker(Builder b) {
    this.store = b.store;
    this.config = b.config;
    this.clock = b.clock;
    this.writes = new WriteLoop(b.store, Retrier.builder(b.retryPolicy).sleeper(b.sleeper).build());
    this.metrics =
        (b.openTelemetry == null
                ? ReliabilityTelemetry.global()
                : ReliabilityTelemetry.of(b.openTelemetry))
            .completion();
    this.triggers = new TriggerClaims(b.publisher, writes, this::now, metrics);
  }

  /**
   * Returns a builder of a tracker over {@code store}, by default with the system UTC clock, {@link
   * RetryPolicy#DEFAULT} and {@link Sleeper#system()}.
   *
   * @param store where the state is kept
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @return a new builder
   */
  public static Builder builder(
      CompletionStore store, CompletionConfig config, TriggerPublisher publisher) {
    return new Builder(store, config, publisher);
  }

  @Override
  public CompletionConfig config() {
    return config;
  }

  @Override
  public CompletionState state(CompletionKey key) {
    return store.read(key, phaseOf(key)).state();
  }

  @Override
  public RecordResult record(CompletionKey key, String processor, Completion completion) {
    Optional<PhaseConfig> phase = phaseExpecting(key, processor, completion, "completion");
    if (phase.isEmpty()) {
      return unexpected(key, processor, "completion");
    }
    return recordCompletion(key, phase.get(), processor, completion, Optional.empty());
  }

  @Override
  public RecordResult markComplete(CompletionKey key, String processor, Audit audit) {
    Optional<PhaseConfig> phase = phaseExpecting(key, processor, audit, "audit");
    if (phase.isEmpty()) {
      return unexpected(key, processor, "mark-complete override");
    }
    Completion completion =
        Completion.builder()
            .detail("override_by", audit.actor())
            .detail("override_reason", audit.reason())
            .build();
    RecordResult r = recordCompletion(key, phase.get(), processor, completion, Optional.of(audit));
    if (r.outcome() == RecordOutcome.RECORDED) {
      log.info("{}: {} marked complete by {}: {}", key, processor, audit.actor(), audit.reason());
    }
    return r;
  }

  /**
   * Records {@code completion} (with an audit entry when {@code audit} is present, which also
   * becomes the reason of a trigger this write claims). The decision of every attempt is here.
   */
  private RecordResult recordCompletion(
      CompletionKey key,
      PhaseConfig phase,
      String processor,
      Completion completion,
      Optional<Audit> audit) {
    RecordedCompletion mine = new RecordedCompletion(processor, completion, now(), newId());
    Written<RecordOutcome> w =
        writes.run(
            key,
            phase,
            "record " + processor,
            Optional.empty(),
            stored -> {
              CompletionState s = stored.state();
              Instant now = now();
              Optional<RecordedCompletion> existing = s.completion(processor);
              if (existing.isPresent()) {
                Completion recorded = existing.get().completion();
                if (completion.isOlderThan(recorded)) {
                  log.warn(
                      "stale completion of {} from processor '{}' rejected: token {} < recorded {}",
                      key,
                      processor,
                      completion.fencingToken().getAsLong(),
                      recorded.fencingToken().getAsLong());
                  return new Decision<>(RecordOutcome.STALE, StateChange.none());
                }
                if (!completion.isNewerThan(recorded)) {
                  // A duplicate writes only to claim a trigger that is due and still unclaimed.
                  StateChange claim =
                      TriggerClaims.withCountAndClaim(phase, s, StateChange.none(), audit, now);
                  return new Decision<>(
                      RecordOutcome.DUPLICATE,
                      claim.trigger().isPresent() ? claim : StateChange.none());
                }
              }
              StateChange change = StateChange.none().withCompletion(mine);
              if (audit.isPresent()) {
                change =
                    change.withAudit(
                        AuditEntry.of(
                            now,
                            OverrideAction.MARK_COMPLETE,
                            audit.get(),
                            Optional.of(processor),
                            "marked complete"));
              }
              return new Decision<>(
                  RecordOutcome.RECORDED,
                  TriggerClaims.withCountAndClaim(phase, s, change, audit, now));
            });
    metrics.delivered(key.phase(), w.answer(), isFirstCompletion(w));
    Optional<Trigger> published = triggers.publishAndConfirm(key, phase, w);
    return new RecordResult(
        w.answer(), processor, TriggerClaims.withTrigger(w.state(), published), published);
  }

  @Override
  public SettleResult settle(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    StoredState first = store.read(key, phase);
    Written<List<String>> w =
        writes.run(
            key,
            phase,
            "settle",
            Optional.of(first),
            stored -> Settling.decide(config, phase, stored.state(), audit, now()));
    if (!w.answer().isEmpty()) {
      log.info("{}: settled: {}", key, String.join("; ", w.answer()));
    }
    boolean reclaimed =
        w.change().trigger().isPresent()
            && first
                .state()
                .trigger()
                .map(Trigger::id)
                .equals(w.change().trigger().map(Trigger::id));
    Optional<Trigger> published = triggers.publishAndConfirm(key, phase, w, reclaimed);
    return new SettleResult(
        first.state(), TriggerClaims.withTrigger(w.state(), published), w.answer(), published);
  }

  @Override
  public Optional<Trigger> forceTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Written<Boolean> w =
        writes.run(
            key,
            phase,
            "force trigger",
            Optional.empty(),
            stored -> {
              CompletionState s = stored.state();
              if (s.triggered()) {
                return new Decision<>(false, StateChange.none());
              }
              Instant now = now();
              Trigger trigger =
                  Trigger.claim(
                      key,
                      s.triggerGeneration() + 1,
                      audit.reason(),
                      "forced by "
                          + audit.actor()
                          + " with "
                          + s.completedCount()
                          + " of "
                          + s.expected().size()
                          + " complete",
                      now,
                      s.missing());
              StateChange change =
                  StateChange.none()
                      .withTrigger(trigger)
                      .withAudit(
                          AuditEntry.of(
                              now,
                              OverrideAction.FORCE_TRIGGER,
                              audit,
                              Optional.empty(),
                              "claimed trigger " + trigger.id() + "; missing " + s.missing()));
              if (s.countDrifted()) {
                change = change.withStoredCount(s.completedCount());
              }
              return new Decision<>(true, change);
            });
    if (w.answer()) {
      log.info("{}: trigger forced by {}: {}", key, audit.actor(), audit.reason());
    }
    return triggers.publishAndConfirm(key, phase, w);
  }

  @Override
  public Optional<Trigger> resetTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Written<Optional<Trigger>> w =
        writes.run(
            key,
            phase,
            "reset trigger",
            Optional.empty(),
            stored -> {
              Optional<Trigger> current = stored.state().trigger();
              if (current.isEmpty()) {
                return new Decision<>(current, StateChange.none());
              }
              AuditEntry entry =
                  AuditEntry.of(
                      now(),
                      OverrideAction.RESET_TRIGGER,
                      audit,
                      Optional.empty(),
                      "cleared trigger " + current.get().id());
              return new Decision<>(
                  current, StateChange.none().withTriggerCleared().withAudit(entry));
            });
    w.answer()
        .ifPresent(
            t ->
                log.info(
                    "{}: trigger {} reset by {}: {}", key, t.id(), audit.actor(), audit.reason()));
    return w.answer();
  }

  /**
   * The phase of {@code key} if it expects {@code processor}, else empty; checks the arguments of a
   * record or override first.
   */
  private Optional<PhaseConfig> phaseExpecting(
      CompletionKey key, String processor, Object argument, String argumentName) {
    PhaseConfig phase = phaseOf(key);
    ProcessorNames.check(processor);
    requireNonNull(argument, argumentName);
    return phase.expects(processor) ? Optional.of(phase) : Optional.empty();
  }

  private RecordResult unexpected(CompletionKey key, String processor, String what) {
    PhaseConfig phase = phaseOf(key);
    log.warn(
        "{} of {} from processor '{}' ignored: phase {} expects only {}",
        what,
        key,
        processor,
        key.phase(),
        phase.expected());
    metrics.delivered(key.phase(), RecordOutcome.UNEXPECTED, false);
    return new RecordResult(RecordOutcome.UNEXPECTED, processor, state(key), Optional.empty());
  }

  private PhaseConfig phaseOf(CompletionKey key) {
    return config.phase(requireNonNull(key, "key").phase());
  }

  /**
   * The clock's time to the microsecond: Firestore keeps no finer time, and a result must report
   * the times a later read shows, on every store alike.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Whether {@code w} recorded the first completion of its key before a trigger: the start of the
   * wait that {@code completion.trigger.delay} measures.
   */
  private static boolean isFirstCompletion(Written<RecordOutcome> w) {
    return w.answer() == RecordOutcome.RECORDED
        && w.state().completedCount() == 1
        && (w.state().trigger().isEmpty() || w.change().trigger().isPresent());
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Builds a {@link StoreBackedCompletionTracker}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final CompletionStore store;
    private final CompletionConfig config;
    private final TriggerPublisher publisher;
    private Clock clock = Clock.systemUTC();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Sleeper sleeper = Sleeper.system();
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(CompletionStore store, CompletionConfig config, TriggerPublisher publisher) {
      this.store = requireNonNull(store, "store");
      this.config = requireNonNull(config, "config");
      this.publisher = requireNonNull(publisher, "publisher");
    }

    /**
     * Sets the clock of completion, claim, deadline and audit times, read to the microsecond (the
     * finest time Firestore keeps).
     *
     * @param clock the clock; a {@code FakeClock} in tests
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the backoff between lost writes and the deadline of one operation.
     *
     * @param retryPolicy the policy; {@link RetryPolicy#DEFAULT} by default
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Sets the sleep between lost writes. The retry deadline is measured on the sleeper's {@link
     * Sleeper#elapsedClock() clock} (real time by default), never on {@link #clock(Clock)}, so a
     * business clock that runs at another speed cannot shorten or stretch it.
     *
     * @param sleeper {@link Sleeper#system()} by default; a {@code FakeClock} in tests, so backoffs
     *     advance fake time instead of sleeping
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets where the tracker reports its metrics (deliveries, triggers, time to trigger; see the
     * README's Telemetry section). Default: {@link GlobalOpenTelemetry#get()}, read once by {@link
     * #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Returns the tracker.
     *
     * @return a new tracker over the builder's store
     */
    public StoreBackedCompletionTracker build() {
      return new StoreBackedCompletionTracker(this);
    }
  }
}
