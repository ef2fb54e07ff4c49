package dev.pipelinereliability.firestore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFutures;
import com.google.api.core.SettableApiFuture;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.FirestoreException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.CallFailure;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.ConflictException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.Failure;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FirestoreCallsTest {
  /** The caller's exception in these tests: it keeps what the mapping was given. */
  static final class Mapped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient CallFailure failure;

    Mapped(String subject, String what, CallFailure failure) {
      super(what + " of " + subject + " " + failure.message(), failure.cause());
      this.failure = failure;
    }
  }

  private final FirestoreCalls<String> calls =
      new FirestoreCalls<>(Duration.ofSeconds(1), Set.of("ABORTED"), Mapped::new);

  private static RuntimeException withStatus(Status.Code code, String message) {
    return ApiExceptionFactory.createException(message, null, GrpcStatusCode.of(code), true);
  }

  @Test
  void returnsTheResult() throws Exception {
    assertThat(calls.await(ApiFutures.immediateFuture("doc"), "doc-1", "read")).isEqualTo("doc");
    assertThat(calls.write(ApiFutures.immediateFuture("done"), "doc-1", "write")).isEqualTo("done");
  }

  @Test
  void aFailedCallCarriesTheStatusCodeOfItsApiException() {
    RuntimeException aborted = withStatus(Status.Code.ABORTED, "too much contention");

    assertThatThrownBy(
            () ->
                calls.await(
                    ApiFutures.immediateFailedFuture(new IllegalStateException("wrapped", aborted)),
                    "doc-1",
                    "read"))
        .isInstanceOfSatisfying(
            Mapped.class,
            e -> {
              assertThat(e.failure.failure()).isEqualTo(Failure.FAILED);
              assertThat(e.failure.statusCode()).isEqualTo("ABORTED");
              assertThat(e.failure.message()).isEqualTo("failed: wrapped");
              assertThat(e.getMessage()).isEqualTo("read of doc-1 failed: wrapped");
              assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            });
  }

  @Test
  void aWriteFailingWithAConflictCodeIsAConflictAndAnyOtherCodeTheCallersException() {
    RuntimeException aborted = withStatus(Status.Code.ABORTED, "too much contention");
    RuntimeException denied = withStatus(Status.Code.PERMISSION_DENIED, "no");

    assertThatThrownBy(() -> calls.write(ApiFutures.immediateFailedFuture(aborted), "d", "write"))
        .isInstanceOf(ConflictException.class)
        .hasCause(aborted);
    assertThat(calls.writeUnlessConflict(ApiFutures.immediateFailedFuture(aborted), "d", "write"))
        .isEmpty();
    assertThat(calls.writeUnlessConflict(ApiFutures.immediateFuture("done"), "d", "write"))
        .contains("done");
    assertThatThrownBy(() -> calls.write(ApiFutures.immediateFailedFuture(denied), "d", "write"))
        .isInstanceOfSatisfying(
            Mapped.class, e -> assertThat(e.failure.statusCode()).isEqualTo("PERMISSION_DENIED"))
        .hasCause(denied);
  }

  @Test
  void aFirestoreExceptionWithStatusUnknownIsPassedOverForTheCodeBeneathIt() {
    FirestoreException precondition =
        FirestoreException.forServerRejection(Status.FAILED_PRECONDITION, "stale version %s", "v1");
    FirestoreException unknown =
        FirestoreException.forServerRejection(Status.UNKNOWN, precondition, "unknown");

    assertThat(FirestoreCalls.statusCode(precondition)).isEqualTo("FAILED_PRECONDITION");
    assertThat(FirestoreCalls.statusCode(unknown)).isEqualTo("FAILED_PRECONDITION");
    assertThat(FirestoreCalls.statusCode(new IllegalStateException("no code"))).isNull();
    assertThat(FirestoreCalls.statusCode(null)).isNull();
  }

  @Test
  void aCallWithoutAnswerTimesOutAndIsCancelled() {
    SettableApiFuture<String> never = SettableApiFuture.create();

    assertThatThrownBy(() -> calls.withTimeout(Duration.ofMillis(20)).await(never, "d", "read"))
        .isInstanceOfSatisfying(
            Mapped.class,
            e -> {
              assertThat(e.failure.failure()).isEqualTo(Failure.TIMED_OUT);
              assertThat(e.failure.statusCode()).isNull();
              assertThat(e.failure.message()).contains("PT0.02S");
              assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
            });
    assertThat(never.isCancelled()).isTrue();
  }

  @Test
  void anInterruptedWaitCancelsTheCallAndKeepsTheInterruptFlag() {
    SettableApiFuture<String> never = SettableApiFuture.create();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> calls.withTimeout(Duration.ofSeconds(5)).await(never, "d", "read"))
          .isInstanceOfSatisfying(
              Mapped.class, e -> assertThat(e.failure.failure()).isEqualTo(Failure.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(never.isCancelled()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
