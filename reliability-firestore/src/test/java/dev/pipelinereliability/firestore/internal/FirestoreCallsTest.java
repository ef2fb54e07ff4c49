package dev.pipelinereliability.firestore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFutures;
import com.google.api.core.SettableApiFuture;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.FirestoreException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.CallFailedException;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.Failure;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FirestoreCallsTest {

  @Test
  void returnsTheResult() throws Exception {
    assertThat(FirestoreCalls.await(ApiFutures.immediateFuture("doc"), Duration.ofSeconds(1)))
        .isEqualTo("doc");
  }

  @Test
  void aFailedCallCarriesTheStatusCodeOfItsApiException() {
    RuntimeException aborted =
        ApiExceptionFactory.createException(
            "too much contention", null, GrpcStatusCode.of(Status.Code.ABORTED), true);

    assertThatThrownBy(
            () ->
                FirestoreCalls.await(
                    ApiFutures.immediateFailedFuture(new IllegalStateException("wrapped", aborted)),
                    Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            CallFailedException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.FAILED);
              assertThat(e.statusCode()).isEqualTo("ABORTED");
              assertThat(e.getMessage()).isEqualTo("failed: wrapped");
              assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            });
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

    assertThatThrownBy(() -> FirestoreCalls.await(never, Duration.ofMillis(20)))
        .isInstanceOfSatisfying(
            CallFailedException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT);
              assertThat(e.statusCode()).isNull();
              assertThat(e.getMessage()).contains("PT0.02S");
              assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
            });
    assertThat(never.isCancelled()).isTrue();
  }

  @Test
  void anInterruptedWaitCancelsTheCallAndKeepsTheInterruptFlag() {
    SettableApiFuture<String> never = SettableApiFuture.create();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> FirestoreCalls.await(never, Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(
              CallFailedException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(never.isCancelled()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
