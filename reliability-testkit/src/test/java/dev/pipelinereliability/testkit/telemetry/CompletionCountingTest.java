package dev.pipelinereliability.testkit.telemetry;

import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.DELAY;
import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.DELIVERIES;
import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.FIRST;
import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.INCOMPLETE;
import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.MISSING;
import static dev.pipelinereliability.testkit.telemetry.CompletionMetricsTest.TRIGGERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the completion instruments count, as the README's Telemetry table says, beyond the scenarios
 * of {@link CompletionMetricsTest}: {@code markComplete} is a delivery, a forced trigger and a
 * deadline trigger claimed by {@code settle} are claims with their missing processors, and a re-run
 * of the only completed processor before the trigger starts the wait again.
 */
class CompletionCountingTest {

  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));
  private static final Audit OPS = Audit.by("on-call", "phase 4 must run tonight");

  private final MetricsCapture metrics = MetricsCapture.create();
  private final FakeClock clock = FakeClock.create();
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();

  @AfterEach
  void close() {
    metrics.close();
  }

  private InMemoryCompletionTracker tracker(PhaseConfig phase) {
    return new InMemoryCompletionTracker(
        CompletionConfig.of(phase), publisher, metrics.openTelemetry(), clock);
  }

  @Test
  void markCompleteIsADeliveryCountedByItsAnswer() {
    var tracker = tracker(PhaseConfig.of("phase3", "odds", "games", "props"));

    assertThat(tracker.markComplete(KEY, "games", OPS).outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(tracker.markComplete(KEY, "games", OPS).outcome())
        .isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(tracker.markComplete(KEY, "weather", OPS).outcome())
        .isEqualTo(RecordOutcome.UNEXPECTED);

    assertThat(count(DELIVERIES, "outcome", "recorded")).isEqualTo(1);
    assertThat(count(DELIVERIES, "outcome", "duplicate")).isEqualTo(1);
    assertThat(count(DELIVERIES, "outcome", "unexpected")).isEqualTo(1);
    assertThat(metrics.count(FIRST, "phase", "phase3")).isEqualTo(1);
  }

  @Test
  void aForcedTriggerWithNoCompletionCountsEveryProcessorMissingAndNoDelay() {
    var tracker = tracker(PhaseConfig.of("phase3", "odds", "games", "props"));

    Optional<Trigger> forced = tracker.forceTrigger(KEY, OPS);
    assertThat(forced).isPresent();
    assertThat(tracker.forceTrigger(KEY, OPS)).isEmpty(); // already claimed: no second claim

    assertThat(count(TRIGGERS, "event", "claimed")).isEqualTo(1);
    assertThat(count(TRIGGERS, "event", "published")).isEqualTo(1);
    assertThat(metrics.count(INCOMPLETE, "phase", "phase3")).isEqualTo(1);
    assertThat(metrics.count(MISSING, "phase", "phase3")).isEqualTo(3);
    // No completion, so no wait to measure.
    assertThat(metrics.points(DELAY)).isEmpty();

    // A completion after the trigger is recorded but starts no wait.
    tracker.record(KEY, "odds", Completion.empty());
    assertThat(count(DELIVERIES, "outcome", "recorded")).isEqualTo(1);
    assertThat(metrics.points(FIRST)).isEmpty();
  }

  @Test
  void aDeadlineTriggerClaimedBySettleIsCountedLikeOneClaimedByRecord() {
    var tracker =
        tracker(
            PhaseConfig.of("phase3", "odds", "games", "props")
                .withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(2), 1)));

    tracker.record(KEY, "odds", Completion.empty());
    clock.advance(Duration.ofHours(5));
    tracker.settle(KEY, Audit.by("reconciler", "scheduled settle"));

    assertThat(count(TRIGGERS, "event", "claimed")).isEqualTo(1);
    assertThat(count(TRIGGERS, "event", "published")).isEqualTo(1);
    assertThat(metrics.count(INCOMPLETE, "phase", "phase3")).isEqualTo(1);
    assertThat(metrics.count(MISSING, "phase", "phase3")).isEqualTo(2);
    assertThat(metrics.histogram(DELAY, "phase", "phase3").getSum()).isEqualTo(5 * 3600.0);
  }

  @Test
  void aReRunOfTheOnlyCompletedProcessorBeforeTheTriggerStartsTheWaitAgain() {
    var tracker = tracker(PhaseConfig.of("phase3", "odds", "games"));

    tracker.record(KEY, "odds", Completion.withToken(7));
    clock.advance(Duration.ofHours(1));
    // A re-run with a newer token replaces the only completion, and its time.
    assertThat(tracker.record(KEY, "odds", Completion.withToken(8)).outcome())
        .isEqualTo(RecordOutcome.RECORDED);
    clock.advance(Duration.ofHours(2));
    assertThat(tracker.record(KEY, "games", Completion.empty()).wonTrigger()).isTrue();

    assertThat(metrics.count(FIRST, "phase", "phase3")).isEqualTo(2);
    assertThat(count(DELIVERIES, "outcome", "recorded")).isEqualTo(3);
    // Measured from the re-run's completion, the first of the key still stored.
    assertThat(metrics.histogram(DELAY, "phase", "phase3").getSum()).isEqualTo(2 * 3600.0);
  }

  @Test
  void aReRunOnceAnotherProcessorCompletedStartsNoNewWaitButMovesTheDelaysStart() {
    var tracker = tracker(PhaseConfig.of("phase3", "odds", "games", "props"));

    tracker.record(KEY, "odds", Completion.withToken(7));
    clock.advance(Duration.ofHours(1));
    tracker.record(KEY, "games", Completion.empty());
    tracker.record(KEY, "odds", Completion.withToken(8));
    clock.advance(Duration.ofHours(1));
    tracker.record(KEY, "props", Completion.empty());

    assertThat(metrics.count(FIRST, "phase", "phase3")).isEqualTo(1);
    // The re-run replaced odds' first completion, so the wait is measured from games' (1 h), the
    // earliest completion still stored, not from odds' original one (2 h).
    assertThat(metrics.histogram(DELAY, "phase", "phase3").getSum()).isEqualTo(3600.0);
  }

  private long count(String name, String attribute, String value) {
    return metrics.count(name, "phase", "phase3", attribute, value);
  }
}
