package dev.pipelinereliability.firestore.completion;

import com.google.api.core.ApiFuture;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.CallFailedException;
import java.time.Duration;
import java.util.Set;

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
      return FirestoreCalls.await(call, timeout);
    } catch (CallFailedException e) {
      throw storeException(e, key, what);
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
      FirestoreCalls.await(call, timeout);
      return true;
    } catch (CallFailedException e) {
      if ("ABORTED".equals(e.statusCode())) {
        return false;
      }
      throw storeException(e, key, what);
    }
  }

  /**
   * Waits for a conditional write.
   *
   * @return true if it was applied, false if it lost its precondition
   */
  static boolean write(ApiFuture<?> call, Duration timeout, CompletionKey key, String what) {
    try {
      FirestoreCalls.await(call, timeout);
      return true;
    } catch (CallFailedException e) {
      if (e.statusIn(CONFLICTS)) {
        return false;
      }
      throw storeException(e, key, what);
    }
  }

  private static CompletionStoreException storeException(
      CallFailedException e, CompletionKey key, String what) {
    return new CompletionStoreException(key, what + " " + e.getMessage(), e.getCause());
  }
}
