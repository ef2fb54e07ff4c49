package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.AlertDeliveryException;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.alert.AlertHistory;
import dev.pipelinereliability.health.alert.AlertHistoryException;
import dev.pipelinereliability.health.alert.SuppressingAlertSink;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuppressingAlertSinkTest {
  private static final Duration WINDOW = Duration.ofHours(6);

  private final FakeClock clock = FakeClock.create();
  private final RecordingAlertSink delivered = new RecordingAlertSink();
  private final SuppressingAlertSink sink = new SuppressingAlertSink(delivered, WINDOW, clock);

  private static CheckResult fail(String name) {
    return CheckResult.fail(name, "late", Map.of());
  }

  @Test
  void theFirstAlertOfAFindingGoesOut() {
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(1);
  }

  @Test
  void aRepeatJustBeforeTheWindowEndsIsSuppressed() {
    sink.send(fail("a"));
    clock.advance(WINDOW.minusNanos(1));
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(1);
  }

  @Test
  void aRepeatExactlyAtTheWindowEndGoesOut() {
    sink.send(fail("a"));
    clock.advance(WINDOW);
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(2);
  }

  @Test
  void aRepeatJustAfterTheWindowGoesOutAndStartsANewWindow() {
    sink.send(fail("a"));
    clock.advance(WINDOW.plusSeconds(1));
    sink.send(fail("a"));
    clock.advance(WINDOW.minusSeconds(1));
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(2);
  }

  @Test
  void differentChecksAreDifferentFindings() {
    sink.send(fail("a"));
    sink.send(fail("b"));
    assertThat(delivered.sent()).extracting(CheckResult::name).containsExactly("a", "b");
  }

  @Test
  void aChangeOfStatusAlertsAtOnce() {
    sink.send(CheckResult.warn("a", "a bit late", Map.of()));
    clock.advance(Duration.ofMinutes(15));
    sink.send(fail("a"));
    assertThat(delivered.sent())
        .extracting(CheckResult::status)
        .containsExactly(HealthStatus.WARN, HealthStatus.FAIL);
  }

  @Test
  void aRecoveryResetsSoTheNextFailureAlertsAtOnce() {
    sink.send(fail("a"));
    clock.advance(Duration.ofMinutes(15));
    sink.resolved(CheckResult.ok("a", "fine"));
    clock.advance(Duration.ofMinutes(15));
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(2);
    assertThat(delivered.resolvedResults()).extracting(CheckResult::name).containsExactly("a");
  }

  @Test
  void aFailedDeliveryIsNotRememberedSoTheNextRunRetries() {
    delivered.failDeliveries(true);
    assertThatThrownBy(() -> sink.send(fail("a"))).isInstanceOf(AlertDeliveryException.class);
    delivered.failDeliveries(false);
    clock.advance(Duration.ofMinutes(15));
    sink.send(fail("a"));
    assertThat(delivered.sent()).hasSize(2);
  }

  @Test
  void aNonPositiveWindowIsRejected() {
    assertThatThrownBy(() -> new SuppressingAlertSink(delivered, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  @Test
  void anUnreachableHistoryFailsOpenSendingEveryAlertAndTheRecovery() {
    AlertHistory down =
        new AlertHistory() {
          @Override
          public Optional<Instant> lastSent(String checkName, HealthStatus status) {
            throw new AlertHistoryException("history down for '" + checkName + "'", null);
          }

          @Override
          public void recordSent(String checkName, HealthStatus status, Instant at) {
            throw new AlertHistoryException("history down for '" + checkName + "'", null);
          }

          @Override
          public void clear(String checkName) {
            throw new AlertHistoryException("history down for '" + checkName + "'", null);
          }
        };
    SuppressingAlertSink failOpen = new SuppressingAlertSink(delivered, WINDOW, clock, down);
    CheckResult failing = CheckResult.fail("locks:phase3", "held 2h", Map.of());

    failOpen.send(failing);
    failOpen.send(failing);
    failOpen.resolved(CheckResult.ok("locks:phase3", "fine"));

    assertThat(delivered.sent()).hasSize(2);
    assertThat(delivered.resolvedResults()).hasSize(1);
  }
}
