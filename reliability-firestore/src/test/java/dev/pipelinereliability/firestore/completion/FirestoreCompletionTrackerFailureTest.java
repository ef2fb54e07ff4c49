package dev.pipelinereliability.firestore.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures of the store are thrown as CompletionStoreException with the client's as the cause. */
class FirestoreCompletionTrackerFailureTest {
  private static final CompletionConfig CONFIG =
      CompletionConfig.of(PhaseConfig.of("phase3", "a", "b"));
  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));

  private Firestore unreachable;

  @BeforeEach
  void clientOfAnEmulatorThatIsNotThere() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    unreachable =
        FirestoreOptions.newBuilder()
            .setProjectId("nobody-home")
            .setEmulatorHost("127.0.0.1:" + port)
            .build()
            .getService();
  }

  @AfterEach
  void closeClient() throws Exception {
    unreachable.close();
  }

  @Test
  void unreachableStoreFailsWithCompletionStoreExceptionCarryingTheCause() {
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.builder(unreachable, CONFIG, TriggerPublisher.NONE)
            .rpcTimeout(Duration.ofSeconds(2))
            .build();

    assertThatThrownBy(() -> tracker.record(KEY, "a", Completion.ofMessage("m")))
        .isInstanceOf(CompletionStoreException.class)
        .hasMessageContaining("phase3/2026-02-03")
        .hasMessageContaining("UNAVAILABLE")
        .cause()
        .isInstanceOfSatisfying(
            ApiException.class,
            api ->
                assertThat(api.getStatusCode().getCode()).isEqualTo(StatusCode.Code.UNAVAILABLE));
  }

  @Test
  void collectionNamesThatFirestoreCannotHoldAreRejectedAtBuildTime() {
    assertThatThrownBy(
            () ->
                FirestoreCompletionTracker.builder(unreachable, CONFIG, TriggerPublisher.NONE)
                    .collectionNaming(phase -> phase + "/completion"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'phase3/completion'");
    assertThatThrownBy(
            () ->
                FirestoreCompletionTracker.builder(unreachable, CONFIG, TriggerPublisher.NONE)
                    .rpcTimeout(Duration.ZERO))
        .hasMessageContaining("PT0S");
  }
}
