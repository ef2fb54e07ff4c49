package dev.pipelinereliability.firestore.internal;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one Firestore call with a deadline and says how it failed, for both Firestore backends;
 * each turns a {@link CallFailedException} into its own exception type and decides which status
 * codes are a lost compare-and-set in its protocol. Internal: not part of the API. Stateless and
 * thread-safe.
 */
public final class FirestoreCalls {
  private FirestoreCalls() {}

  /** How a call failed. */
  public enum Failure {
    /** The call completed with an error; {@link CallFailedException#statusCode()} may name it. */
    FAILED,
    /** No answer within the deadline; the call was cancelled, but a write may have been applied. */
    TIMED_OUT,
    /** The waiting thread was interrupted; the call was cancelled and the interrupt flag is set. */
    INTERRUPTED
  }

  /**
   * A call that did not return a result. Checked, so that each backend decides what it means there.
   */
  public static final class CallFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Failure failure;
    private final String statusCode;

    CallFailedException(Failure failure, String message, Throwable cause) {
      super(message, cause);
      this.failure = failure;
      this.statusCode = failure == Failure.FAILED ? FirestoreCalls.statusCode(cause) : null;
    }

    /** How the call failed. */
    public Failure failure() {
      return failure;
    }

    /**
     * The gRPC status code name the failure carries (for example {@code "FAILED_PRECONDITION"}), or
     * null when it carries none or the call did not fail with an error.
     */
    public String statusCode() {
      return statusCode;
    }

    /**
     * Whether the call failed with an error whose {@linkplain #statusCode() status code} is one of
     * {@code codes}.
     *
     * @param codes gRPC status code names, for example {@code "ABORTED"}
     * @return false if the failure carries no status code or one not in {@code codes}
     */
    public boolean statusIn(Set<String> codes) {
      return statusCode != null && codes.contains(statusCode);
    }
  }

  /**
   * Returns the result of {@code call}, waiting at most {@code timeout}.
   *
   * @param call the pending call
   * @param timeout how long to wait; the call is cancelled after it
   * @return the call's result
   * @throws CallFailedException if the call failed, ran out of time or the thread was interrupted
   *     (the interrupt flag is then set again); its message says which, and its cause is the
   *     client's exception
   */
  public static <T> T await(ApiFuture<T> call, Duration timeout) throws CallFailedException {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CallFailedException(Failure.FAILED, "failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new CallFailedException(
          Failure.TIMED_OUT, "got no answer within " + timeout + " (rpcTimeout)", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new CallFailedException(Failure.INTERRUPTED, "was interrupted", e);
    }
  }

  /**
   * Returns the result of a conditional write, or empty if it failed with one of {@code
   * conflictCodes}: a lost compare-and-set, part of the caller's protocol rather than an error.
   *
   * @param <T> the write's result type
   * @param call the pending write
   * @param timeout how long to wait; the call is cancelled after it
   * @param conflictCodes gRPC status code names that mean "not applied", for example {@code
   *     "FAILED_PRECONDITION"}
   * @return the write's result, or empty if it lost
   * @throws CallFailedException if the call failed otherwise, ran out of time or was interrupted
   */
  public static <T> java.util.Optional<T> awaitUnlessConflict(
      ApiFuture<T> call, Duration timeout, Set<String> conflictCodes) throws CallFailedException {
    try {
      return java.util.Optional.of(await(call, timeout));
    } catch (CallFailedException e) {
      if (e.statusIn(conflictCodes)) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The gRPC status code name of the first exception in {@code t}'s cause chain that carries one,
   * or null. A {@link FirestoreException} with status UNKNOWN is passed over: the client wraps
   * other exceptions that way, and the real code, if any, is further down.
   */
  public static String statusCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ApiException api) {
        return api.getStatusCode().getCode().name();
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
