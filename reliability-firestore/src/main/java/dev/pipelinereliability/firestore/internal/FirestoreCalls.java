package dev.pipelinereliability.firestore.internal;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Waits for Firestore calls with a deadline and turns a failure into the caller's exception. Every
 * Firestore backend makes one, with its own {@link FailureMapping} and the status codes that are a
 * lost compare-and-set in its protocol. Internal: not part of the API. Immutable and thread-safe.
 *
 * @param <S> what a call is about (a lock key, a completion key, a check name), for the mapping
 */
public final class FirestoreCalls<S> {
  /** How a call failed. */
  public enum Failure {
    /** The call completed with an error; {@link CallFailure#statusCode()} may name it. */
    FAILED,
    /** No answer within the deadline; the call was cancelled, but a write may have been applied. */
    TIMED_OUT,
    /** The waiting thread was interrupted; the call was cancelled and the interrupt flag is set. */
    INTERRUPTED
  }

  /**
   * A call that did not return a result.
   *
   * @param failure how it failed
   * @param statusCode the gRPC status code name the failure carries (for example {@code
   *     "ABORTED"}), or null when it carries none or the call did not fail with an error
   * @param message says which failure, for example {@code "failed: <client message>"}
   * @param cause the client's exception
   */
  public record CallFailure(
      Failure failure, @Nullable String statusCode, String message, Throwable cause) {}

  /**
   * Turns a failed call into the exception its caller throws.
   *
   * @param <S> what a call is about
   */
  @FunctionalInterface
  public interface FailureMapping<S> {
    /**
     * Returns the exception to throw for {@code failure}.
     *
     * @param subject what the call was about
     * @param what the operation, for example {@code "read"}
     * @param failure how it failed
     * @return the exception to throw; its cause should be {@code failure.cause()}
     */
    RuntimeException toException(S subject, String what, CallFailure failure);
  }

  /**
   * A write that lost its compare-and-set: it failed with one of the conflict codes. Checked, so
   * the caller's protocol decides what that means (often: re-read and try again).
   */
  public static final class ConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    ConflictException(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final Duration timeout;
  private final Set<String> conflictCodes;
  private final FailureMapping<S> mapping;

  /**
   * Creates the calls of one caller.
   *
   * @param timeout the deadline of each call
   * @param conflictCodes gRPC status code names that mean a write lost its compare-and-set
   * @param mapping turns every other failure into the caller's exception
   * @throws NullPointerException if an argument is null
   */
  public FirestoreCalls(Duration timeout, Set<String> conflictCodes, FailureMapping<S> mapping) {
    this.timeout = requireNonNull(timeout, "timeout");
    this.conflictCodes = Set.copyOf(conflictCodes);
    this.mapping = requireNonNull(mapping, "mapping");
  }

  /**
   * Returns the same calls with another deadline.
   *
   * @param timeout the deadline of each call
   * @return calls with {@code timeout}
   */
  public FirestoreCalls<S> withTimeout(Duration timeout) {
    return new FirestoreCalls<>(timeout, conflictCodes, mapping);
  }

  /**
   * Returns the result of a call whose every failure is the caller's exception: a read, or a write
   * that cannot conflict.
   *
   * @param <T> the result type
   * @param call the pending call
   * @param subject what the call is about
   * @param what the operation, for messages
   * @return the call's result
   * @throws RuntimeException the mapped exception if the call failed, ran out of time (it is
   *     cancelled) or the thread was interrupted (the flag is set again)
   */
  public <T> T await(ApiFuture<T> call, S subject, String what) {
    try {
      return get(call, timeout);
    } catch (FailedCall e) {
      throw mapping.toException(subject, what, e.failure);
    }
  }

  /**
   * Returns the result of a conditional write.
   *
   * @param <T> the result type
   * @param call the pending write
   * @param subject what the write is about
   * @param what the operation, for messages
   * @return the write's result
   * @throws ConflictException if the write failed with one of the conflict codes
   * @throws RuntimeException the mapped exception if it failed otherwise, ran out of time (it is
   *     cancelled, but may have been applied) or the thread was interrupted
   */
  public <T> T write(ApiFuture<T> call, S subject, String what) throws ConflictException {
    try {
      return get(call, timeout);
    } catch (FailedCall e) {
      if (e.failure.statusCode() != null && conflictCodes.contains(e.failure.statusCode())) {
        throw new ConflictException(e.failure.cause());
      }
      throw mapping.toException(subject, what, e.failure);
    }
  }

  /**
   * Returns the result of a conditional write, or empty if it lost its compare-and-set.
   *
   * @param <T> the result type
   * @param call the pending write
   * @param subject what the write is about
   * @param what the operation, for messages
   * @return the write's result, or empty if it failed with one of the conflict codes
   * @throws RuntimeException the mapped exception as for {@link #write}
   */
  public <T> Optional<T> writeUnlessConflict(ApiFuture<T> call, S subject, String what) {
    try {
      return Optional.of(write(call, subject, what));
    } catch (ConflictException e) {
      return Optional.empty();
    }
  }

  /** A failure on its way to the mapping; never leaves this class. */
  private static final class FailedCall extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient CallFailure failure;

    FailedCall(Failure failure, String message, Throwable cause) {
      super(message, cause, false, false);
      this.failure =
          new CallFailure(
              failure, failure == Failure.FAILED ? statusCode(cause) : null, message, cause);
    }
  }

  private static <T> T get(ApiFuture<T> call, Duration timeout) throws FailedCall {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new FailedCall(Failure.FAILED, "failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new FailedCall(
          Failure.TIMED_OUT, "got no answer within " + timeout + " (rpcTimeout)", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new FailedCall(Failure.INTERRUPTED, "was interrupted", e);
    }
  }

  /**
   * The gRPC status code name of the first exception in {@code t}'s cause chain that carries one,
   * or null. A {@link FirestoreException} with status UNKNOWN is passed over: the client wraps
   * other exceptions that way, and the real code, if any, is further down.
   */
  static @Nullable String statusCode(@Nullable Throwable t) {
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
