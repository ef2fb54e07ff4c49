package dev.pipelinereliability.firestore.lock;

import com.google.api.core.ApiFuture;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.CallFailedException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.Failure;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.time.Duration;
import java.util.Set;

/**
 * Waits for one Firestore call with a deadline and sorts its failure: a lost compare-and-set
 * ({@link Conflict}) is part of the protocol; anything else means the store cannot be trusted now
 * and becomes a {@link LockUnavailableException}.
 */
final class Rpc {
  private Rpc() {}

  /**
   * Thrown when a write may have lost its race: {@code create()} found the document, an {@code
   * updatedAt} precondition found a newer version, or the server aborted the write under contention
   * (ABORTED). The caller re-reads the document to learn what happened, because the write may also
   * be its own, applied by an earlier attempt that the client retried. Never leaves this package.
   */
  static final class Conflict extends Exception {
    private static final long serialVersionUID = 1L;

    Conflict(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Status codes that mean the write may have lost its race (see {@link Conflict}). */
  private static final Set<String> CONFLICTS =
      Set.of("ALREADY_EXISTS", "FAILED_PRECONDITION", "ABORTED");

  /**
   * Returns the result of {@code call}, waiting at most {@code timeout}.
   *
   * @throws Conflict if the call was a write that lost a precondition or create race
   * @throws LockUnavailableException if the call failed otherwise or ran out of time; a timed-out
   *     call is cancelled, but a write may still have been applied
   * @throws ReliabilityException wrapping the {@link InterruptedException} if the thread was
   *     interrupted; the interrupt flag is set again
   */
  static <T> T await(ApiFuture<T> call, Duration timeout, LockKey key, String what)
      throws Conflict {
    try {
      return FirestoreCalls.await(call, timeout);
    } catch (CallFailedException e) {
      if (e.failure() == Failure.INTERRUPTED) {
        throw new ReliabilityException(
            "interrupted during " + what + " of lock " + key, e.getCause());
      }
      if (e.statusIn(CONFLICTS)) {
        throw new Conflict(e.getCause());
      }
      throw new LockUnavailableException(key, what + " " + e.getMessage(), e.getCause());
    }
  }

  /** Same as {@link #await} for calls that cannot conflict (reads). */
  static <T> T read(ApiFuture<T> call, Duration timeout, LockKey key, String what) {
    try {
      return await(call, timeout, key, what);
    } catch (Conflict e) {
      throw new LockUnavailableException(key, what + " failed: " + e.getMessage(), e.getCause());
    }
  }
}
