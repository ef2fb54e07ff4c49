package dev.pipelinereliability.firestore.lock;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.ListenerRegistration;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.firestore.lock.Acquirer.Attempt;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait loop of {@link FirestoreDistributedLock#acquire}: tries again on every change a snapshot
 * listener reports, when the holder's lease runs out on the server, and on a backoff poll (100 ms
 * doubling to 5 s) in case the listener misses something. A failed listener is logged at WARN and
 * registered again at the next wake-up. Thread-safe: each call keeps its state on its own stack.
 */
final class LockWaiter {
  private static final Duration FIRST_POLL = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofSeconds(5);

  /** How far past a holder's server-side lease end a waiter wakes to try again. */
  private static final Duration LEASE_END_MARGIN = Duration.ofMillis(5);

  // Under the lock's name, so logging set up for the lock keeps covering what moved here.
  private static final Logger log = LoggerFactory.getLogger(FirestoreDistributedLock.class);

  private final LockStore store;
  private final Acquirer acquirer;

  LockWaiter(LockStore store, Acquirer acquirer) {
    this.store = store;
    this.acquirer = acquirer;
  }

  /**
   * Acquires {@code key}, waiting at most {@code options.maxWait()} on the store's clock.
   *
   * @throws LockTimeoutException if the wait ran out
   * @throws LockUnavailableException if the store fails or does not answer in time
   * @throws ReliabilityException if the thread was interrupted; the interrupt flag is set again
   */
  LockHandle acquire(DocumentReference doc, LockKey key, LockOptions options) {
    long start = store.clock().millis();
    long deadline = start + options.maxWait().toMillis();
    Attempt attempt = acquirer.attempt(doc, key, options);
    if (attempt.handle != null) {
      return attempt.handle;
    }
    if (options.maxWait().isZero()) {
      throw new LockTimeoutException(key, options.maxWait());
    }
    BlockingQueue<DocumentSnapshot> changes = new LinkedBlockingQueue<>();
    AtomicBoolean listenerFailed = new AtomicBoolean();
    ListenerRegistration listener = listen(doc, key, changes, listenerFailed);
    try {
      long poll = FIRST_POLL.toMillis();
      long leaseEndAt = leaseEndAt(attempt.observed);
      while (true) {
        long now = store.clock().millis();
        if (now >= deadline) {
          throw new LockTimeoutException(key, Duration.ofMillis(now - start));
        }
        if (listenerFailed.getAndSet(false)) {
          // A failed listener delivers nothing more; the polls below cover the gap until then.
          listener.remove();
          listener = listen(doc, key, changes, listenerFailed);
        }
        long wait = Math.max(1, Math.min(deadline - now, Math.min(poll, leaseEndAt - now)));
        DocumentSnapshot change = changes.poll(wait, TimeUnit.MILLISECONDS);
        if (change != null) {
          DocumentSnapshot newer;
          while ((newer = changes.poll()) != null) {
            change = newer;
          }
          attempt = acquirer.claimFrom(doc, key, options, new LockDocument(change));
        } else {
          attempt = acquirer.attempt(doc, key, options);
          poll = Math.min(poll * 2, MAX_POLL.toMillis());
        }
        if (attempt.handle != null) {
          return attempt.handle;
        }
        if (attempt.observed != null && attempt.observed.live()) {
          leaseEndAt = leaseEndAt(attempt.observed);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReliabilityException("interrupted while waiting for lock " + key, e);
    } finally {
      listener.remove();
    }
  }

  /**
   * Listens to {@code doc}, queueing every snapshot. A failed listener is logged at WARN and
   * flagged in {@code failed}, and the waiting loop registers a new one on its next wake-up (at
   * most one poll interval later), so a waiter never silently degrades to polling alone.
   */
  private static ListenerRegistration listen(
      DocumentReference doc,
      LockKey key,
      BlockingQueue<DocumentSnapshot> changes,
      AtomicBoolean failed) {
    return doc.addSnapshotListener(
        Runnable::run,
        (snapshot, error) -> {
          if (snapshot != null) {
            changes.add(snapshot);
          } else if (error != null) {
            log.warn(
                "Snapshot listener on lock {} failed; polling until it is registered again",
                key,
                error);
            failed.set(true);
          }
        });
  }

  /** The local time at which the lease seen in {@code held} has run out on the server. */
  private long leaseEndAt(@Nullable LockDocument held) {
    if (held == null || !held.live()) {
      return store.clock().millis() + MAX_POLL.toMillis();
    }
    return store.clock().millis() + held.remaining().plus(LEASE_END_MARGIN).toMillis();
  }
}
