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
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.ProcessorNames;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.retry.Retrier;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.retry.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link CompletionTracker}: every decision, over a {@link CompletionStore} of two
 * operations (read with a version, write if unchanged). The Firestore and in-memory trackers are
 * this class over their stores.
 *
 * <p><b>How a delivery goes.</b> {@link #record} reads the key once and decides: a completion whose
 * processor has none stored, or whose fencing token is newer than the stored one, is written with
 * one write-if-unchanged that also stores the derived count and, if this completion makes the
 * trigger due, the trigger claim. Anything else writes nothing: {@code DUPLICATE} (not newer) or
 * {@code STALE} (an older token). A write that loses (someone wrote the key since the read) is
 * retried from a fresh read, where the same delivery may now be a duplicate. So for each (key,
 * processor, token) exactly one call's write stores it and is answered {@code RECORDED}, whatever
 * the concurrency; a completion without a token never replaces a stored one, so it cannot undo a
 * fenced completion. The winner of a claim publishes the trigger and confirms it with one more
 * write against the version its own write produced.
 *
 * <p>Calls to the store, when nobody else writes the key: a first completion is 1 read and 1 write
 * (claim included); a duplicate or stale delivery is 1 read; the trigger confirmation is 1 write.
 * Under contention each lost write costs one more read and write, after a jittered backoff. A write
 * that throws costs one more read (see below).
 *
 * <p><b>Lost answers.</b> A write that landed although the store reported it as lost (a client
 * retried it after its answer was lost) is recognised on the next read by the id it carried ({@link
 * RecordedCompletion#writeId()}, {@link Trigger#claimNonce()}), and answered as written. So is a
 * write that threw (a call that timed out on the client may still have been applied): the tracker
 * reads the key once more and answers as written if it landed, and otherwise throws the write's
 * exception. Only a write applied after that read (still in flight when it timed out), or a read
 * that fails too, leaves a stored completion whose call threw; its redelivery is then a {@code
 * DUPLICATE}. And a write whose answer was lost, then replaced by a newer fencing token before the
 * re-read, is answered {@code STALE}. In both cases no call is answered {@code RECORDED} for a
 * completion that was stored and counted.
 *
 * <p>Only a duplicate delivery whose key has a due, unclaimed trigger writes (the claim, with the
 * count): a crash can no longer separate a completion from its claim, but documents written by an
 * older orchestrator, and deadlines, can leave a trigger due. A claim left unconfirmed past {@link
 * CompletionConfig#unconfirmedClaimTimeout()} is renewed (same id, new nonce) and re-published only
 * by an audited {@link #settle}, never by a {@link #record}.
 *
 * <p>Every retry waits a jittered, doubling backoff and gives up at the {@link RetryPolicy}'s
 * deadline (or after its last attempt) with {@link CompletionStoreException}; every operation is
 * safe to repeat after it.
 *
 * <p>Thread-safe if the store is.
 */
public final class StoreBackedCompletionTracker implements CompletionTracker {
  private static final Logger log = LoggerFactory.getLogger(StoreBackedCompletionTracker.class);

  private final CompletionStore store;
  private final CompletionConfig config;
  private final TriggerPublisher publisher;
  private final Clock clock;
  private final Retrier retrier;

  private StoreBackedCompletionTracker(Builder b) {
    this.store = b.store;
    this.config = b.config;
    this.publisher = b.publisher;
    this.clock = b.clock;
    this.retrier = Retrier.builder(b.retryPolicy).clock(b.clock).sleeper(b.sleeper).build();
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
    PhaseConfig phase = phaseOf(key);
    ProcessorNames.check(processor);
    requireNonNull(completion, "completion");
    if (!phase.expects(processor)) {
      return unexpected(key, phase, processor, "completion");
    }
    return recordCompletion(key, phase, processor, completion, Optional.empty());
  }

  @Override
  public RecordResult markComplete(CompletionKey key, String processor, Audit audit) {
    PhaseConfig phase = phaseOf(key);
    ProcessorNames.check(processor);
    requireNonNull(audit, "audit");
    if (!phase.expects(processor)) {
      return unexpected(key, phase, processor, "mark-complete override");
    }
    Completion completion =
        Completion.builder()
            .detail("override_by", audit.actor())
            .detail("override_reason", audit.reason())
            .build();
    RecordResult r = recordCompletion(key, phase, processor, completion, Optional.of(audit));
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
        writeLoop(
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
                  StateChange claim = withCountAndClaim(phase, s, StateChange.none(), audit, now);
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
                  RecordOutcome.RECORDED, withCountAndClaim(phase, s, change, audit, now));
            });
    Optional<Trigger> published = publishAndConfirm(key, phase, w);
    return new RecordResult(w.answer(), processor, withTrigger(w.state(), published), published);
  }

  @Override
  public SettleResult settle(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    StoredState first = store.read(key, phase);
    Written<List<String>> w =
        writeLoop(
            key,
            phase,
            "settle",
            Optional.of(first),
            stored -> {
              CompletionState s = stored.state();
              Instant now = now();
              StateChange change = StateChange.none();
              List<String> changes = new ArrayList<>();
              if (s.countDrifted()) {
                change = change.withStoredCount(s.completedCount());
                changes.add(
                    "count "
                        + (s.storedCount().isPresent() ? s.storedCount().getAsInt() : "absent")
                        + " -> "
                        + s.completedCount());
              }
              if (s.trigger().isEmpty()) {
                Optional<Trigger> claim = dueClaim(phase, s, Optional.of(audit), now);
                if (claim.isPresent()) {
                  change = change.withTrigger(claim.get());
                  changes.add(
                      "claimed trigger " + claim.get().id() + " (" + claim.get().note() + ")");
                }
              } else {
                // Only an audited settle re-publishes an abandoned claim: the claimant may merely
                // be slow, and letting a delivery re-claim would give one generation a second
                // record() winner.
                Trigger t = s.trigger().get();
                if (!t.confirmed()
                    && !now.isBefore(t.claimedAt().plus(config.unconfirmedClaimTimeout()))) {
                  change = change.withTrigger(t.reclaimedAt(now));
                  changes.add(
                      "re-claimed trigger "
                          + t.id()
                          + " left unconfirmed since "
                          + t.claimedAt()
                          + ", to publish it again");
                }
              }
              if (changes.isEmpty()) {
                return new Decision<>(List.of(), StateChange.none());
              }
              AuditEntry entry =
                  AuditEntry.of(
                      now,
                      OverrideAction.SETTLE,
                      audit,
                      Optional.empty(),
                      String.join("; ", changes));
              return new Decision<>(List.copyOf(changes), change.withAudit(entry));
            });
    if (!w.answer().isEmpty()) {
      log.info("{}: settled: {}", key, String.join("; ", w.answer()));
    }
    Optional<Trigger> published = publishAndConfirm(key, phase, w);
    return new SettleResult(
        first.state(), withTrigger(w.state(), published), w.answer(), published);
  }

  @Override
  public Optional<Trigger> forceTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Written<Boolean> w =
        writeLoop(
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
    return publishAndConfirm(key, phase, w);
  }

  @Override
  public Optional<Trigger> resetTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Written<Optional<Trigger>> w =
        writeLoop(
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

  private RecordResult unexpected(
      CompletionKey key, PhaseConfig phase, String processor, String what) {
    log.warn(
        "{} of {} from processor '{}' ignored: phase {} expects only {}",
        what,
        key,
        processor,
        key.phase(),
        phase.expected());
    return new RecordResult(RecordOutcome.UNEXPECTED, processor, state(key), Optional.empty());
  }

  private PhaseConfig phaseOf(CompletionKey key) {
    return config.phase(requireNonNull(key, "key").phase());
  }

  /** What one attempt decided: its answer, and the write that makes it true (none: no write). */
  private record Decision<A>(A answer, StateChange change) {}

  /**
   * The outcome of a write loop: the answer, the change written (none if nothing was), and the
   * key's state and version right after.
   */
  private record Written<A>(
      A answer, StateChange change, CompletionState state, Optional<Object> version) {}

  /**
   * The one retry loop: read (or use {@code known} the first time), decide, write if unchanged;
   * after a lost write, read again and decide again, unless that read shows the lost write landed.
   */
  private <A> Written<A> writeLoop(
      CompletionKey key,
      PhaseConfig phase,
      String what,
      Optional<StoredState> known,
      Function<StoredState, Decision<A>> decide) {
    Retrier.Attempts attempts = retrier.start();
    Decision<A> lost = null;
    boolean first = true;
    while (next(attempts, key, what)) {
      StoredState stored = first && known.isPresent() ? known.get() : store.read(key, phase);
      first = false;
      if (lost != null && landed(lost.change(), stored.state())) {
        log.info("{}: {} landed although its write was reported lost", key, what);
        return new Written<>(lost.answer(), lost.change(), stored.state(), stored.version());
      }
      Decision<A> d = decide.apply(stored);
      if (d.change().isEmpty()) {
        return new Written<>(d.answer(), d.change(), stored.state(), stored.version());
      }
      Optional<Object> version;
      try {
        version = store.writeIfUnchanged(key, stored, d.change());
      } catch (CompletionStoreException e) {
        Optional<StoredState> after = landedDespite(e, key, phase, d.change());
        if (after.isEmpty()) {
          throw e;
        }
        log.info("{}: {} landed although its write failed: {}", key, what, e.getMessage());
        return new Written<>(d.answer(), d.change(), after.get().state(), after.get().version());
      }
      if (version.isPresent()) {
        return new Written<>(d.answer(), d.change(), d.change().applyTo(stored.state()), version);
      }
      lost = d;
    }
    throw new CompletionStoreException(
        key,
        what
            + " did not succeed "
            + attempts.exhaustedReason()
            + " ("
            + attempts.count()
            + " compare-and-set attempts lost)",
        null);
  }

  private static boolean next(Retrier.Attempts attempts, CompletionKey key, String what) {
    try {
      return attempts.next();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionStoreException(key, "interrupted while retrying " + what, e);
    }
  }

  /**
   * The key as read right after a write that threw, if that read shows the write landed anyway (a
   * call that timed out on the client may still have been applied). Without this, the call would
   * throw, and its redelivery would find the completion stored and be answered {@code DUPLICATE}:
   * no call would ever be answered {@code RECORDED} for it, and a claim it carried would wait for
   * the reconciler. If the read fails too, its exception is added to {@code failure} as suppressed.
   */
  private Optional<StoredState> landedDespite(
      CompletionStoreException failure, CompletionKey key, PhaseConfig phase, StateChange change) {
    StoredState after;
    try {
      after = store.read(key, phase);
    } catch (CompletionStoreException e) {
      failure.addSuppressed(e);
      return Optional.empty();
    }
    return landed(change, after.state()) ? Optional.of(after) : Optional.empty();
  }

  /**
   * Whether {@code s} holds {@code change} although its write was reported lost: by the write id of
   * its completion, else the nonce of its trigger (confirmed, if it confirmed one), else its audit
   * entry. Nobody else writes our ids, so this never turns someone else's write into ours.
   */
  private static boolean landed(StateChange change, CompletionState s) {
    boolean trigger =
        change.trigger().isPresent()
            && s.trigger()
                .filter(
                    t ->
                        t.sameClaimAs(change.trigger().get())
                            && (t.confirmed() || !change.trigger().get().confirmed()))
                .isPresent();
    if (change.completion().isPresent()) {
      RecordedCompletion c = change.completion().get();
      return c.sameWriteAs(s.completion(c.processor()).orElse(null)) || trigger;
    }
    if (change.trigger().isPresent()) {
      return trigger;
    }
    return change.audit().isPresent() && s.auditTrail().contains(change.audit().get());
  }

  /**
   * {@code change}, plus the count derived after it if the stored one would differ, plus the
   * trigger claim if {@code change} makes it due.
   */
  private StateChange withCountAndClaim(
      PhaseConfig phase,
      CompletionState s,
      StateChange change,
      Optional<Audit> audit,
      Instant now) {
    CompletionState next = change.applyTo(s);
    if (next.countDrifted()) {
      change = change.withStoredCount(next.completedCount());
    }
    Optional<Trigger> claim = dueClaim(phase, next, audit, now);
    return claim.isPresent() ? change.withTrigger(claim.get()) : change;
  }

  /**
   * The trigger claim {@code s} makes due at {@code now}, if any. Claimed inside an audited
   * operation, the trigger's reason is the audit's reason; otherwise it is the condition that made
   * it due.
   */
  private static Optional<Trigger> dueClaim(
      PhaseConfig phase, CompletionState s, Optional<Audit> audit, Instant now) {
    if (s.triggered()) {
      return Optional.empty();
    }
    String reason;
    String note;
    if (s.allComplete()) {
      reason = Trigger.REASON_ALL_COMPLETE;
      note = "all " + s.expected().size() + " expected processors completed";
    } else if (phase.deadline().isPresent() && phase.deadline().get().passed(s, now)) {
      DeadlinePolicy policy = phase.deadline().get();
      reason = Trigger.REASON_DEADLINE;
      note =
          policy.describe(s)
              + " passed with "
              + s.completedCount()
              + " of "
              + s.expected().size()
              + " complete (minimum "
              + policy.minimumProcessors()
              + "); missing "
              + s.missing();
    } else {
      return Optional.empty();
    }
    return Optional.of(
        Trigger.claim(
            s.key(),
            s.triggerGeneration() + 1,
            audit.map(Audit::reason).orElse(reason),
            note,
            now,
            s.missing()));
  }

  /**
   * Publishes the unconfirmed trigger {@code w} wrote, if any, then confirms it with one write
   * against the version {@code w} left (re-read only if someone wrote the key since). Returns the
   * trigger confirmed.
   */
  private Optional<Trigger> publishAndConfirm(CompletionKey key, PhaseConfig phase, Written<?> w) {
    Optional<Trigger> claimed = w.change().trigger().filter(t -> !t.confirmed());
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    Trigger trigger = claimed.get();
    log.info("{}: claimed trigger {}: {}", key, trigger.id(), trigger.note());
    try {
      publisher.publish(trigger);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggerPublishException(trigger, e);
    } catch (Exception e) {
      throw new TriggerPublishException(trigger, e);
    }
    Instant publishedAt = now();
    Written<Trigger> confirmed =
        writeLoop(
            key,
            phase,
            "confirm trigger " + trigger.id(),
            Optional.of(new StoredState(w.state(), w.version())),
            stored -> {
              Optional<Trigger> current = stored.state().trigger();
              if (current.isEmpty() || !current.get().id().equals(trigger.id())) {
                // Reset by an operator while we published: nothing of ours left to confirm.
                return new Decision<>(trigger.confirmedAt(publishedAt), StateChange.none());
              }
              if (current.get().confirmed()) {
                return new Decision<>(current.get(), StateChange.none());
              }
              Trigger t = current.get().confirmedAt(publishedAt);
              return new Decision<>(t, StateChange.none().withTrigger(t));
            });
    return Optional.of(confirmed.answer());
  }

  private static CompletionState withTrigger(CompletionState s, Optional<Trigger> published) {
    return published.map(t -> StateChange.none().withTrigger(t).applyTo(s)).orElse(s);
  }

  /**
   * The clock's time to the microsecond: Firestore keeps no finer time, and a result must report
   * the times a later read shows, on every store alike.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
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
     * Sets the sleep between lost writes; the deadline is measured on the {@link #clock(Clock)}.
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
     * Returns the tracker.
     *
     * @return a new tracker over the builder's store
     */
    public StoreBackedCompletionTracker build() {
      return new StoreBackedCompletionTracker(this);
    }
  }
}
