package dev.pipelinereliability.firestore.completion;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FirestoreException;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one Firestore call with a deadline and sorts its failure: a lost compare-and-set is
 * part of the protocol ({@link #write} returns false); anything else becomes a {@link
 * CompletionStoreException}.
 */
final class Calls {
  /**
   * Codes that mean "the document changed under us": a failed {@code updatedAt} precondition, a
   * {@code create()} that found the document, an update of a document deleted meanwhile, and
   * ABORTED, Firestore's answer to contention. All of them mean "not applied": the tracker re-reads
   * after a jittered backoff, within its {@link dev.pipelinereliability.completion.RetryPolicy}.
   */
  private static final Set<String> CONFLICTS =
      Set.of("FAILED_PRECONDITION", "ALREADY_EXISTS", "NOT_FOUND", "ABORTED");

  private Calls() {}

  /** Returns the result of a read. */
  static <T> T read(ApiFuture<T> call, Duration timeout, CompletionKey key, String what) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CompletionStoreException(key, what + " failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new CompletionStoreException(key, what + " got no answer within " + timeout, e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new CompletionStoreException(key, "interrupted during " + what, e);
    }
  }

  /**
   * Waits for an unconditional write.
   *
   * @return true if it was applied, false if the store answered ABORTED (contention: not applied,
   *     retried by the tracker after a backoff exactly like a lost compare-and-set)
   */
  static boolean merge(ApiFuture<?> call, Duration timeout, CompletionKey key, String what) {
    try {
      read(call, timeout, key, what);
      return true;
    } catch (CompletionStoreException e) {
      if (e.getCause() != null && "ABORTED".equals(codeOf(e.getCause()))) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Waits for a conditional write.
   *
   * @return true if it was applied, false if it lost its precondition
   */
  static boolean write(ApiFuture<?> call, Duration timeout, CompletionKey key, String what) {
    try {
      read(call, timeout, key, what);
      return true;
    } catch (CompletionStoreException e) {
      if (e.getCause() != null && isConflict(e.getCause())) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isConflict(Throwable t) {
    String code = codeOf(t);
    return code != null && CONFLICTS.contains(code);
  }

  /** The gRPC status code name of the first exception in the chain that carries one, or null. */
  private static String codeOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ApiException api) {
        StatusCode.Code code = api.getStatusCode().getCode();
        return code.name();
      }
      if (c instanceof FirestoreException fe && fe.getStatus() != null) {
        Status.Code code = fe.getStatus().getCode();
        if (code != Status.Code.UNKNOWN) {
          return code.name();
        }
      }
    }
    return null;
  }
}
