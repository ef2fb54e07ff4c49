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
import dev.pipelinereliability.completion.RetryPolicy;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-independent half of a {@link CompletionTracker}: deciding outcomes, deriving counts,
 * claiming, publishing and confirming triggers, deadlines and overrides. A backend supplies three
 * store operations: {@link #read}, {@link #mergeCompletion} and {@link #compareAndSet}.
 *
 * <p>How exactly-once follows from them: every decision that must be made once (claiming a trigger,
 * replacing a completion that carries a fencing token, an override) is a {@link #compareAndSet}
 * against the version just read, retried from a fresh read when it fails. Only a completion without
 * a fencing token for a processor not yet recorded is written blind, because every concurrent
 * writer of that field writes the same fact. After any write, the key is <em>settled</em>: re-read,
 * and a compare-and-set stores the derived count and, if due, the trigger claim. Whoever's
 * compare-and-set stores the claim is the one winner. Since every completion is followed by a
 * settle that reads after it, the last settle sees every completion. A claim left unconfirmed past
 * {@link CompletionConfig#unconfirmedClaimTimeout()} is renewed (same id) and re-published only by
 * an audited {@link #settle}, never by a {@link #record}, so record callers have exactly one winner
 * per generation; downstream de-duplicates by trigger id.
 *
 * <p>Every retry waits a jittered, doubling backoff and gives up at the {@link RetryPolicy}'s
 * deadline (or after 200 attempts) with {@link CompletionStoreException}; every operation is safe
 * to repeat after it.
 *
 * <p>Thread-safe if the three store operations are.
 */
public abstract class AbstractCompletionTracker implements CompletionTracker {
  private static final Logger log = LoggerFactory.getLogger(AbstractCompletionTracker.class);

  private final CompletionConfig config;
  private final TriggerPublisher publisher;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final Pacing pacing;

  /**
   * Creates the tracker with {@link RetryPolicy#DEFAULT} in real time.
   *
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param clock the time of completions, claims, deadlines and audit entries
   */
  protected AbstractCompletionTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    this(config, publisher, clock, RetryPolicy.DEFAULT, Pacing.system());
  }

  /**
   * Creates the tracker.
   *
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param clock the time of completions, claims, deadlines and audit entries
   * @param retryPolicy the backoff between lost compare-and-set attempts and the deadline of each
   *     operation
   * @param pacing the time source and sleep of the retry loop (a fake in tests)
   */
  protected AbstractCompletionTracker(
      CompletionConfig config,
      TriggerPublisher publisher,
      Clock clock,
      RetryPolicy retryPolicy,
      Pacing pacing) {
    this.config = requireNonNull(config, "config");
    this.publisher = requireNonNull(publisher, "publisher");
    this.clock = requireNonNull(clock, "clock");
    this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
    this.pacing = requireNonNull(pacing, "pacing");
  }

  /**
   * Reads the key's stored state; the expected set comes from {@code phase}.
   *
   * @throws CompletionStoreException if the store failed
   */
  protected abstract StoredState read(CompletionKey key, PhaseConfig phase);

  /**
   * Stores {@code completion} under its processor's name without a precondition, creating the
   * document if needed. Must be idempotent: writing the same completion twice leaves the same
   * state.
   *
   * @return true if written; false if the store refused it for contention (Firestore: ABORTED), so
   *     the tracker retries after a backoff, as after a lost compare-and-set
   * @throws CompletionStoreException if the store failed
   */
  protected abstract boolean mergeCompletion(CompletionKey key, RecordedCompletion completion);

  /**
   * Applies {@code change} atomically if the stored document still has {@code expected}'s version
   * (or, if {@code expected} has none, if no document exists yet).
   *
   * @return true if applied; false if the document changed since it was read, or the store refused
   *     the write for contention (Firestore: ABORTED); the tracker re-reads after a backoff
   * @throws CompletionStoreException if the store failed
   */
  protected abstract boolean compareAndSet(
      CompletionKey key, StoredState expected, StateChange change);

  /** Returns the clock this tracker reads. */
  protected final Clock clock() {
    return clock;
  }

  @Override
  public final CompletionConfig config() {
    return config;
  }

  @Override
  public final CompletionState state(CompletionKey key) {
    return read(key, phaseOf(key)).state();
  }

  @Override
  public final RecordResult record(CompletionKey key, String processor, Completion completion) {
    PhaseConfig phase = phaseOf(key);
    ProcessorNames.check(processor);
    requireNonNull(completion, "completion");
    if (!phase.expects(processor)) {
      return unexpected(key, phase, processor, "completion");
    }
    Retry retry = retry(key, "record " + processor);
    while (retry.next()) {
      StoredState stored = read(key, phase);
      Optional<RecordedCompletion> existing = stored.state().completion(processor);
      if (existing.isPresent()) {
        Completion recorded = existing.get().completion();
        if (completion.isOlderThan(recorded)) {
          log.warn(
              "stale completion of {} from processor '{}' rejected: token {} < recorded {}",
              key,
              processor,
              completion.fencingToken().getAsLong(),
              recorded.fencingToken().getAsLong());
          return new RecordResult(RecordOutcome.STALE, processor, stored.state(), Optional.empty());
        }
        if (!completion.isNewerThan(recorded)) {
          return settleAfter(RecordOutcome.DUPLICATE, key, phase, processor, Optional.of(stored));
        }
      } else if (completion.fencingToken().isEmpty()) {
        if (mergeCompletion(key, new RecordedCompletion(processor, completion, clock.instant()))) {
          return settleAfter(RecordOutcome.RECORDED, key, phase, processor, Optional.empty());
        }
        continue;
      }
      // A fenced completion is decided by compare-and-set, so a stale one can never overwrite it.
      RecordedCompletion rc = new RecordedCompletion(processor, completion, clock.instant());
      Attempt written =
          tryWrite(key, phase, stored, StateChange.none().withCompletion(rc), Optional.empty());
      if (written != null) {
        return finish(RecordOutcome.RECORDED, processor, phase, written);
      }
    }
    throw retry.exhausted();
  }

  @Override
  public final RecordResult markComplete(CompletionKey key, String processor, Audit audit) {
    PhaseConfig phase = phaseOf(key);
    ProcessorNames.check(processor);
    requireNonNull(audit, "audit");
    if (!phase.expects(processor)) {
      return unexpected(key, phase, processor, "mark-complete override");
    }
    Retry retry = retry(key, "mark " + processor + " complete");
    while (retry.next()) {
      StoredState stored = read(key, phase);
      if (stored.state().completion(processor).isPresent()) {
        return settleAfter(RecordOutcome.DUPLICATE, key, phase, processor, Optional.of(stored));
      }
      Instant now = clock.instant();
      Completion completion =
          Completion.builder()
              .detail("override_by", audit.actor())
              .detail("override_reason", audit.reason())
              .build();
      StateChange change =
          StateChange.none()
              .withCompletion(new RecordedCompletion(processor, completion, now))
              .withAudit(
                  AuditEntry.of(
                      now,
                      OverrideAction.MARK_COMPLETE,
                      audit,
                      Optional.of(processor),
                      "marked complete"));
      Attempt written = tryWrite(key, phase, stored, change, Optional.of(audit));
      if (written != null) {
        log.info("{}: {} marked complete by {}: {}", key, processor, audit.actor(), audit.reason());
        return finish(RecordOutcome.RECORDED, processor, phase, written);
      }
    }
    throw retry.exhausted();
  }

  @Override
  public final SettleResult settle(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    StoredState first = read(key, phase);
    CompletionState before = first.state();
    Settled settled = settleInternal(key, phase, Optional.of(audit), true, Optional.of(first));
    Optional<Trigger> published = publishIfWon(key, phase, settled.claimed);
    CompletionState after = published.isPresent() ? read(key, phase).state() : settled.state;
    return new SettleResult(before, after, settled.changes, published);
  }

  @Override
  public final Optional<Trigger> forceTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Retry retry = retry(key, "force trigger");
    while (retry.next()) {
      StoredState stored = read(key, phase);
      CompletionState s = stored.state();
      if (s.triggered()) {
        return Optional.empty();
      }
      Instant now = clock.instant();
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
      if (compareAndSet(key, stored, change) || landedAnyway(key, phase, trigger).isPresent()) {
        log.info(
            "{}: trigger {} forced by {}: {}", key, trigger.id(), audit.actor(), audit.reason());
        return publishIfWon(key, phase, Optional.of(trigger));
      }
    }
    throw retry.exhausted();
  }

  @Override
  public final Optional<Trigger> resetTrigger(CompletionKey key, Audit audit) {
    requireNonNull(audit, "audit");
    PhaseConfig phase = phaseOf(key);
    Retry retry = retry(key, "reset trigger");
    while (retry.next()) {
      StoredState stored = read(key, phase);
      Optional<Trigger> current = stored.state().trigger();
      if (current.isEmpty()) {
        return Optional.empty();
      }
      StateChange change =
          StateChange.none()
              .withTriggerCleared()
              .withAudit(
                  AuditEntry.of(
                      clock.instant(),
                      OverrideAction.RESET_TRIGGER,
                      audit,
                      Optional.empty(),
                      "cleared trigger " + current.get().id()));
      if (compareAndSet(key, stored, change)) {
        log.info(
            "{}: trigger {} reset by {}: {}",
            key,
            current.get().id(),
            audit.actor(),
            audit.reason());
        return current;
      }
    }
    throw retry.exhausted();
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
    return new RecordResult(
        RecordOutcome.UNEXPECTED, processor, read(key, phase).state(), Optional.empty());
  }

  private PhaseConfig phaseOf(CompletionKey key) {
    return config.phase(requireNonNull(key, "key").phase());
  }

  /** The state after a successful write and the trigger that write claimed, if any. */
  private record Attempt(CompletionState state, Optional<Trigger> claimed) {}

  /**
   * Tries {@code change} plus the derived count plus a due trigger claim as one compare-and-set.
   * Returns null if the document changed since {@code stored} was read.
   */
  private Attempt tryWrite(
      CompletionKey key,
      PhaseConfig phase,
      StoredState stored,
      StateChange change,
      Optional<Audit> audit) {
    CompletionState next = change.applyTo(stored.state());
    if (next.countDrifted()) {
      change = change.withStoredCount(next.completedCount());
    }
    Optional<Trigger> claim = dueClaim(phase, next, audit);
    if (claim.isPresent()) {
      change = change.withTrigger(claim.get());
    }
    if (!compareAndSet(key, stored, change)) {
      if (claim.isEmpty()) {
        return null;
      }
      Optional<CompletionState> landed = landedAnyway(key, phase, claim.get());
      if (landed.isEmpty()) {
        return null;
      }
      log.info("{}: claimed trigger {}: {}", key, claim.get().id(), claim.get().note());
      return new Attempt(landed.get(), claim);
    }
    claim.ifPresent(t -> log.info("{}: claimed trigger {}: {}", key, t.id(), t.note()));
    return new Attempt(change.applyTo(stored.state()), claim);
  }

  private RecordResult finish(
      RecordOutcome outcome, String processor, PhaseConfig phase, Attempt written) {
    CompletionKey key = written.state.key();
    Optional<Trigger> published = publishIfWon(key, phase, written.claimed);
    return new RecordResult(outcome, processor, withPublished(written.state, published), published);
  }

  private static CompletionState withPublished(CompletionState s, Optional<Trigger> published) {
    return published.map(t -> StateChange.none().withTrigger(t).applyTo(s)).orElse(s);
  }

  private RecordResult settleAfter(
      RecordOutcome outcome,
      CompletionKey key,
      PhaseConfig phase,
      String processor,
      Optional<StoredState> justRead) {
    Settled settled =
        settleInternal(key, phase, Optional.empty(), outcome != RecordOutcome.DUPLICATE, justRead);
    Optional<Trigger> published = publishIfWon(key, phase, settled.claimed);
    return new RecordResult(outcome, processor, withPublished(settled.state, published), published);
  }

  private record Settled(CompletionState state, List<String> changes, Optional<Trigger> claimed) {}

  /**
   * Settles {@code key}. With {@code countAlone} false, a drifted count alone is left as it is (it
   * is still rewritten together with a claim): duplicate deliveries use that, so that a storm of
   * them does not contend on the document for a count the writer that changed the completions is
   * about to fix anyway.
   */
  private Settled settleInternal(
      CompletionKey key,
      PhaseConfig phase,
      Optional<Audit> audit,
      boolean countAlone,
      Optional<StoredState> justRead) {
    Retry retry = retry(key, "settle");
    boolean first = true;
    while (retry.next()) {
      // A state read a moment ago serves the first attempt: a duplicate delivery then costs one
      // read, and a compare-and-set against it fails harmlessly if it is already outdated.
      StoredState stored = first && justRead.isPresent() ? justRead.get() : read(key, phase);
      first = false;
      CompletionState s = stored.state();
      Instant now = clock.instant();
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
      Optional<Trigger> claim = Optional.empty();
      if (s.trigger().isEmpty()) {
        claim = dueClaim(phase, s, audit);
        claim.ifPresent(t -> changes.add("claimed trigger " + t.id() + " (" + t.note() + ")"));
      } else if (audit.isPresent()) {
        // Only an audited settle (an operator, the reconciler) re-publishes an abandoned claim, and
        // it reports that in its SettleResult, never as a won trigger. A record() or duplicate
        // delivery never does: the claimant may merely be slow (or its clock behind ours), and
        // letting a delivery re-claim would give one generation a second record() winner.
        Trigger t = s.trigger().get();
        if (!t.confirmed() && !now.isBefore(t.claimedAt().plus(config.unconfirmedClaimTimeout()))) {
          claim = Optional.of(t.reclaimedAt(now));
          changes.add(
              "re-claimed trigger "
                  + t.id()
                  + " left unconfirmed since "
                  + t.claimedAt()
                  + ", to publish it again");
        }
      }
      if (changes.isEmpty() || (claim.isEmpty() && !countAlone)) {
        return new Settled(s, List.of(), Optional.empty());
      }
      if (claim.isPresent()) {
        change = change.withTrigger(claim.get());
      }
      if (audit.isPresent()) {
        change =
            change.withAudit(
                AuditEntry.of(
                    now,
                    OverrideAction.SETTLE,
                    audit.get(),
                    Optional.empty(),
                    String.join("; ", changes)));
      }
      if (compareAndSet(key, stored, change)) {
        log.info("{}: settled: {}", key, String.join("; ", changes));
        return new Settled(change.applyTo(s), changes, claim);
      }
      if (claim.isPresent()) {
        Optional<CompletionState> landed = landedAnyway(key, phase, claim.get());
        if (landed.isPresent()) {
          log.info("{}: settled: {}", key, String.join("; ", changes));
          return new Settled(landed.get(), changes, claim);
        }
      }
    }
    throw retry.exhausted();
  }

  /**
   * After a compare-and-set that carried {@code claim} reported a conflict: re-reads, and returns
   * the state if it holds this very claim (same id and nonce). That happens when the write landed
   * but its answer was lost and the client's retry then failed its precondition; the claim is ours
   * and must be published, or nobody would publish it before the reconciler. Nobody else can have
   * written our nonce, so this never makes a second winner.
   */
  private Optional<CompletionState> landedAnyway(
      CompletionKey key, PhaseConfig phase, Trigger claim) {
    CompletionState s = read(key, phase).state();
    if (s.trigger().isPresent() && claim.sameClaimAs(s.trigger().get())) {
      log.info(
          "{}: our claim of {} landed although its write reported a conflict", key, claim.id());
      return Optional.of(s);
    }
    return Optional.empty();
  }

  /**
   * The trigger claim {@code s} makes due, if any. Claimed inside an audited operation, the
   * trigger's reason is the audit's reason; otherwise it is the condition that made it due.
   */
  private Optional<Trigger> dueClaim(PhaseConfig phase, CompletionState s, Optional<Audit> audit) {
    if (s.triggered()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String reason;
    String note;
    if (s.allComplete()) {
      reason = Trigger.REASON_ALL_COMPLETE;
      note = "all " + s.expected().size() + " expected processors completed";
    } else if (phase.deadline().isPresent() && deadlinePassed(phase.deadline().get(), s, now)) {
      DeadlinePolicy policy = phase.deadline().get();
      reason = Trigger.REASON_DEADLINE;
      note =
          "deadline of "
              + policy.afterFirstCompletion()
              + " after the first completion at "
              + s.firstCompletionAt().orElseThrow()
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

  private static boolean deadlinePassed(DeadlinePolicy policy, CompletionState s, Instant now) {
    Optional<Instant> first = s.firstCompletionAt();
    return first.isPresent()
        && !now.isBefore(first.get().plus(policy.afterFirstCompletion()))
        && s.completedCount() >= policy.minimumProcessors();
  }

  /** Publishes a trigger this caller claimed, then confirms it; returns it confirmed. */
  private Optional<Trigger> publishIfWon(
      CompletionKey key, PhaseConfig phase, Optional<Trigger> claimed) {
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    Trigger trigger = claimed.get();
    try {
      publisher.publish(trigger);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggerPublishException(trigger, e);
    } catch (Exception e) {
      throw new TriggerPublishException(trigger, e);
    }
    Instant publishedAt = clock.instant();
    Retry retry = retry(key, "confirm trigger " + trigger.id());
    while (retry.next()) {
      StoredState stored = read(key, phase);
      Optional<Trigger> current = stored.state().trigger();
      if (current.isEmpty() || !current.get().id().equals(trigger.id())) {
        // Reset by an operator while we published: nothing of ours left to confirm.
        return Optional.of(trigger.confirmedAt(publishedAt));
      }
      if (current.get().confirmed()) {
        return current;
      }
      Trigger confirmed = current.get().confirmedAt(publishedAt);
      if (compareAndSet(key, stored, StateChange.none().withTrigger(confirmed))) {
        return Optional.of(confirmed);
      }
    }
    throw retry.exhausted();
  }

  private Retry retry(CompletionKey key, String what) {
    return new Retry(retryPolicy, pacing, key, what);
  }
}
