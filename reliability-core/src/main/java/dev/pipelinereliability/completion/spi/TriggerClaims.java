package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.completion.spi.WriteLoop.Decision;
import dev.pipelinereliability.completion.spi.WriteLoop.Written;
import dev.pipelinereliability.telemetry.CompletionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker's trigger: when a change makes it due (the claim rides on that change's write), and
 * the winner's publish and confirmation. Thread-safe if the store and the publisher are.
 */
final class TriggerClaims {
  private static final Logger log = LoggerFactory.getLogger(StoreBackedCompletionTracker.class);

  private final TriggerPublisher publisher;
  private final WriteLoop writes;
  private final Supplier<Instant> now;
  private final CompletionMetrics metrics;

  TriggerClaims(
      TriggerPublisher publisher,
      WriteLoop writes,
      Supplier<Instant> now,
      CompletionMetrics metrics) {
    this.publisher = publisher;
    this.writes = writes;
    this.now = now;
    this.metrics = metrics;
  }

  /**
   * {@code change}, plus the count derived after it if the stored one would differ, plus the
   * trigger claim if {@code change} makes it due.
   */
  static StateChange withCountAndClaim(
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
  static Optional<Trigger> dueClaim(
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
  Optional<Trigger> publishAndConfirm(CompletionKey key, PhaseConfig phase, Written<?> w) {
    return publishAndConfirm(key, phase, w, false);
  }

  /**
   * As {@link #publishAndConfirm(CompletionKey, PhaseConfig, Written)}; {@code republish} tells
   * that the claim was re-taken after it was left unconfirmed (counted as such, not as a claim).
   */
  Optional<Trigger> publishAndConfirm(
      CompletionKey key, PhaseConfig phase, Written<?> w, boolean republish) {
    Optional<Trigger> claimed = w.change().trigger().filter(t -> !t.confirmed());
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    Trigger trigger = claimed.get();
    log.info("{}: claimed trigger {}: {}", key, trigger.id(), trigger.note());
    if (!republish) {
      metrics.triggerClaimed(
          key.phase(),
          w.state()
              .firstCompletionAt()
              .map(first -> Duration.between(first, trigger.claimedAt()))
              .orElse(null),
          trigger.missing().size());
    }
    try {
      publisher.publish(trigger);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggerPublishException(trigger, e);
    } catch (Exception e) {
      throw new TriggerPublishException(trigger, e);
    }
    metrics.triggerPublished(key.phase(), republish);
    Instant publishedAt = now.get();
    Written<Trigger> confirmed =
        writes.run(
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

  static CompletionState withTrigger(CompletionState s, Optional<Trigger> published) {
    return published.map(t -> StateChange.none().withTrigger(t).applyTo(s)).orElse(s);
  }
}
