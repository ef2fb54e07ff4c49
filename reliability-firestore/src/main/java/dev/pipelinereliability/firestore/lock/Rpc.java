package dev.pipelinereliability.firestore.lock;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.FirestoreException;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockUnavailableException;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (isConflict(cause)) {
        throw new Conflict(cause);
      }
      throw new LockUnavailableException(key, what + " failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new LockUnavailableException(
          key, what + " got no answer within " + timeout + " (rpcTimeout)", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new ReliabilityException("interrupted during " + what + " of lock " + key, e);
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

  private static boolean isConflict(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApiException api) {
        var code = api.getStatusCode().getCode();
        return code == com.google.api.gax.rpc.StatusCode.Code.ALREADY_EXISTS
            || code == com.google.api.gax.rpc.StatusCode.Code.FAILED_PRECONDITION
            || code == com.google.api.gax.rpc.StatusCode.Code.ABORTED;
      }
      if (c instanceof FirestoreException fe && fe.getStatus() != null) {
        Status.Code code = fe.getStatus().getCode();
        // ABORTED is contention on the document, as in the completion tracker: like a lost
        // precondition it means "someone else may have written", and the re-read decides.
        if (code == Status.Code.ALREADY_EXISTS
            || code == Status.Code.FAILED_PRECONDITION
            || code == Status.Code.ABORTED) {
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
