package dev.pipelinereliability.firestore.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.alert.AlertHistory;
import dev.pipelinereliability.health.alert.AlertHistoryException;
import dev.pipelinereliability.health.alert.SuppressingAlertSink;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.health.AlertHistoryContract;
import dev.pipelinereliability.testkit.health.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link AlertHistoryContract} on the Firestore emulator (each {@link #newHistory()} on a
 * client of its own, as each run of a job would be), the document layout, and what happens when
 * Firestore cannot be reached.
 */
class FirestoreAlertHistoryTest extends AlertHistoryContract {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  @Override
  protected AlertHistory newHistory() {
    return FirestoreAlertHistory.create(EMULATOR.newClient());
  }

  @Test
  void theDocumentNamesTheCheckAndExpiresAfterTheRetention() throws Exception {
    FirestoreAlertHistory history =
        FirestoreAlertHistory.builder(EMULATOR.firestore())
            .collection("alerts_test")
            .retention(Duration.ofDays(3))
            .build();
    Instant at = Instant.parse("2026-11-24T06:00:00.123456Z");

    history.recordSent("freshness:odds-api:2026-11-23", HealthStatus.WARN, at);

    DocumentSnapshot doc =
        history.document("freshness:odds-api:2026-11-23").get().get(10, TimeUnit.SECONDS);
    assertThat(doc.getReference().getPath())
        .isEqualTo("alerts_test/alert~freshness:odds-api:2026-11-23");
    assertThat(doc.getString("check")).isEqualTo("freshness:odds-api:2026-11-23");
    assertThat(doc.getTimestamp("expireAt").getSeconds())
        .isEqualTo(at.plus(Duration.ofDays(3)).getEpochSecond());
    assertThat(history.lastSent("freshness:odds-api:2026-11-23", HealthStatus.WARN)).contains(at);

    history.clear("freshness:odds-api:2026-11-23");
    assertThat(
            history
                .document("freshness:odds-api:2026-11-23")
                .get()
                .get(10, TimeUnit.SECONDS)
                .exists())
        .isFalse();
  }

  @Test
  void anUnreachableStoreThrowsNamingTheCheckAndTheSinkStillAlerts() throws Exception {
    // Nothing listens on port 1: every call fails or times out.
    // Closed in finally, not by try-with-resources: Firestore.close() may throw
    // InterruptedException, which javac's lint flags in a resource.
    Firestore unreachable =
        FirestoreOptions.newBuilder()
            .setProjectId(EMULATOR.projectId())
            .setEmulatorHost("127.0.0.1:1")
            .build()
            .getService();
    try {
      FirestoreAlertHistory history =
          FirestoreAlertHistory.builder(unreachable).rpcTimeout(Duration.ofMillis(500)).build();

      assertThatThrownBy(() -> history.lastSent("locks:phase3", HealthStatus.FAIL))
          .isInstanceOf(AlertHistoryException.class)
          .hasMessageContaining("'locks:phase3'");

      RecordingAlertSink slack = new RecordingAlertSink();
      SuppressingAlertSink sink =
          new SuppressingAlertSink(slack, Duration.ofHours(6), FakeClock.create(), history);
      CheckResult failing = CheckResult.fail("locks:phase3", "held 2h", Map.of());
      sink.send(failing);
      sink.send(failing);
      sink.resolved(CheckResult.ok("locks:phase3", "fine"));

      assertThat(slack.sent()).hasSize(2); // fails open: no history, no suppression
      assertThat(slack.resolvedResults()).hasSize(1);
    } finally {
      unreachable.close();
    }
  }

  @Test
  void whatTheClientThrowsBeforeACallStartsIsAnAlertHistoryExceptionToo() throws Exception {
    Firestore closed = EMULATOR.newClient();
    closed.close();
    FirestoreAlertHistory history = FirestoreAlertHistory.create(closed);

    assertThatThrownBy(() -> history.lastSent("locks:phase3", HealthStatus.FAIL))
        .isInstanceOf(AlertHistoryException.class)
        .hasMessageContaining("'locks:phase3'");
    assertThatThrownBy(
            () ->
                FirestoreAlertHistory.create(EMULATOR.firestore())
                    .recordSent(
                        "locks:phase3", HealthStatus.FAIL, Instant.parse("9999-12-31T00:00:00Z")))
        .as("expireAt beyond Firestore's last timestamp")
        .isInstanceOf(AlertHistoryException.class);

    RecordingAlertSink slack = new RecordingAlertSink();
    new SuppressingAlertSink(slack, Duration.ofHours(6), FakeClock.create(), history)
        .send(CheckResult.fail("locks:phase3", "held 2h", Map.of()));
    assertThat(slack.sent()).hasSize(1);
  }

  @Test
  void suppressionWorksAcrossRunsThatShareTheStore() {
    FakeClock clock = FakeClock.create();
    RecordingAlertSink slack = new RecordingAlertSink();
    CheckResult failing = CheckResult.fail("duplicates:grading", "6 excess rows", Map.of());

    new SuppressingAlertSink(slack, Duration.ofHours(6), clock, newHistory()).send(failing);
    clock.advance(Duration.ofMinutes(15));
    new SuppressingAlertSink(slack, Duration.ofHours(6), clock, newHistory()).send(failing);
    clock.advance(Duration.ofHours(6));
    new SuppressingAlertSink(slack, Duration.ofHours(6), clock, newHistory()).send(failing);

    assertThat(slack.sent()).hasSize(2);
  }

  @Test
  void badSettingsAreRejectedWithTheValue() {
    FirestoreAlertHistory.Builder builder = FirestoreAlertHistory.builder(EMULATOR.firestore());
    assertThatThrownBy(() -> builder.collection("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> builder.collection("__x__"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'__x__'");
    assertThatThrownBy(() -> builder.retention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> builder.rpcTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }
}
