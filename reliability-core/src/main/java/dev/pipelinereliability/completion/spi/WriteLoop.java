package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.retry.Retrier;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker's one write loop: read, decide, write if unchanged; after a lost write read again and
 * decide again, unless the read shows the lost (or failed) write landed. Gives up as the {@link
 * Retrier}'s policy says with {@link CompletionStoreException}. Thread-safe if the store is.
 */
final class WriteLoop {
  private static final Logger log = LoggerFactory.getLogger(StoreBackedCompletionTracker.class);

  private final CompletionStore store;
  private final Retrier retrier;

  WriteLoop(CompletionStore store, Retrier retrier) {
    this.store = store;
    this.retrier = retrier;
  }

  /** What one attempt decided: its answer, and the write that makes it true (none: no write). */
  record Decision<A>(A answer, StateChange change) {}

  /**
   * The outcome of a write loop: the answer, the change written (none if nothing was), and the
   * key's state and version right after.
   */
  record Written<A>(
      A answer, StateChange change, CompletionState state, Optional<Object> version) {}

  /**
   * The one retry loop: read (or use {@code known} the first time), decide, write if unchanged;
   * after a lost write, read again and decide again, unless that read shows the lost write landed.
   */
  <A> Written<A> run(
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
  static boolean landed(StateChange change, CompletionState s) {
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
}
