package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Completion tracker metrics after scripted runs on the in-memory tracker and a fake clock. */
class CompletionMetricsTest {
  static final String DELIVERIES = "pipeline_reliability.completion.deliveries";
  static final String FIRST = "pipeline_reliability.completion.first_completions";
  static final String TRIGGERS = "pipeline_reliability.completion.triggers";
  static final String DELAY = "pipeline_reliability.completion.trigger.delay";
  static final String INCOMPLETE = "pipeline_reliability.completion.incomplete_triggers";
  static final String MISSING = "pipeline_reliability.completion.missing_processors";

  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);

  private final MetricsCapture metrics = MetricsCapture.create();
  private final FakeClock clock = FakeClock.create();
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aDeadlineTriggerCountsItsMissingProcessorAndItsDelay() {
    var tracker =
        new InMemoryCompletionTracker(
            CompletionConfig.of(
                PhaseConfig.of("phase3", "odds", "games", "props")
                    .withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(2), 2))),
            publisher,
            metrics.openTelemetry(),
            clock);
    CompletionKey key = CompletionKey.of("phase3", DATE);

    tracker.record(key, "odds", Completion.withToken(7));
    clock.advance(Duration.ofHours(3));
    tracker.record(key, "odds", Completion.withToken(7)); // a redelivery
    tracker.record(key, "odds", Completion.withToken(6)); // a stalled older run
    tracker.record(key, "weather", Completion.empty()); // not expected in phase3
    var won = tracker.record(key, "games", Completion.empty());

    assertThat(won.wonTrigger()).isTrue();
    assertThat(count(DELIVERIES, "outcome", "recorded")).isEqualTo(2);
    assertThat(count(DELIVERIES, "outcome", "duplicate")).isEqualTo(1);
    assertThat(count(DELIVERIES, "outcome", "stale")).isEqualTo(1);
    assertThat(count(DELIVERIES, "outcome", "unexpected")).isEqualTo(1);
    assertThat(metrics.count(FIRST, "phase", "phase3")).isEqualTo(1);
    assertThat(count(TRIGGERS, "event", "claimed")).isEqualTo(1);
    assertThat(count(TRIGGERS, "event", "published")).isEqualTo(1);
    assertThat(metrics.count(INCOMPLETE, "phase", "phase3")).isEqualTo(1);
    assertThat(metrics.count(MISSING, "phase", "phase3")).isEqualTo(1);
    HistogramPointData delay = metrics.histogram(DELAY, "phase", "phase3");
    assertThat(delay.getCount()).isEqualTo(1);
    assertThat(delay.getSum()).isEqualTo(3 * 3600.0);

    // The late processor is still recorded, but neither starts a new wait nor claims again.
    tracker.record(key, "props", Completion.empty());
    assertThat(count(DELIVERIES, "outcome", "recorded")).isEqualTo(3);
    assertThat(metrics.count(FIRST, "phase", "phase3")).isEqualTo(1);
    assertThat(count(TRIGGERS, "event", "claimed")).isEqualTo(1);
  }

  @Test
  void aClaimLeftUnconfirmedIsCountedAsRepublishedWhenSettled() {
    var tracker =
        new InMemoryCompletionTracker(
            CompletionConfig.of(PhaseConfig.of("phase2", "odds")),
            publisher.failNext(1),
            metrics.openTelemetry(),
            clock);
    CompletionKey key = CompletionKey.of("phase2", DATE);

    assertThatThrownBy(() -> tracker.record(key, "odds", Completion.empty()))
        .isInstanceOf(TriggerPublishException.class);
    clock.advance(CompletionConfig.DEFAULT_UNCONFIRMED_CLAIM_TIMEOUT.plusSeconds(1));
    tracker.settle(key, Audit.by("reconciler", "unconfirmed claim"));

    assertThat(metrics.count(DELIVERIES, "phase", "phase2", "outcome", "recorded")).isEqualTo(1);
    assertThat(metrics.count(FIRST, "phase", "phase2")).isEqualTo(1);
    assertThat(metrics.count(TRIGGERS, "phase", "phase2", "event", "claimed")).isEqualTo(1);
    assertThat(metrics.count(TRIGGERS, "phase", "phase2", "event", "published")).isZero();
    assertThat(metrics.count(TRIGGERS, "phase", "phase2", "event", "republished")).isEqualTo(1);
    assertThat(metrics.histogram(DELAY, "phase", "phase2").getSum()).isZero();
    assertThat(metrics.points(INCOMPLETE)).isEmpty();
  }

  private long count(String name, String attribute, String value) {
    return metrics.count(name, "phase", "phase3", attribute, value);
  }
}
