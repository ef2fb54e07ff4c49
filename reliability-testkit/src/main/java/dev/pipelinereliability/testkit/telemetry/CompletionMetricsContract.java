package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics every {@link CompletionTracker} reports, whatever its store: a backend's test extends
 * this class and supplies {@link #newTracker}; the in-memory tracker and the Firestore tracker run
 * the same scripted scenarios and must report the same points of every {@code
 * pipeline_reliability.completion.*} instrument (deliveries by outcome, first completions, triggers
 * by event, the trigger delay, incomplete triggers and missing processors). Each scenario checks
 * every point of every instrument, so a backend that reports an extra point fails too.
 *
 * <p>Each test has a {@link MetricsCapture} of its own and dates drawn at random, so a store need
 * not be emptied between tests. Time is a {@link FakeClock} the contract owns and passes to every
 * tracker; the trigger delay is measured on it, so nothing here sleeps.
 */
public abstract class CompletionMetricsContract {
  /** The deliveries counter. */
  protected static final String DELIVERIES = "pipeline_reliability.completion.deliveries";

  /** The first-completions counter. */
  protected static final String FIRST = "pipeline_reliability.completion.first_completions";

  /** The triggers counter. */
  protected static final String TRIGGERS = "pipeline_reliability.completion.triggers";

  /** The trigger delay histogram. */
  protected static final String DELAY = "pipeline_reliability.completion.trigger.delay";

  /** The incomplete-triggers counter. */
  protected static final String INCOMPLETE = "pipeline_reliability.completion.incomplete_triggers";

  /** The missing-processors counter. */
  protected static final String MISSING = "pipeline_reliability.completion.missing_processors";

  /** Three processors; two hours after the first completion, trigger with at least two. */
  protected static final PhaseConfig DEADLINE =
      PhaseConfig.of("deadline", "odds", "games", "props")
          .withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(2), 2));

  /** Three processors; two hours after the first completion, trigger with any one. */
  protected static final PhaseConfig EARLY =
      PhaseConfig.of("early", "odds", "games", "props")
          .withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(2), 1));

  /** Two processors, no deadline: the trigger waits for both (or an operator). */
  protected static final PhaseConfig PAIR = PhaseConfig.of("pair", "odds", "games");

  /** Five processors, for the concurrency scenario. */
  protected static final PhaseConfig FANIN = PhaseConfig.of("fanin", "p0", "p1", "p2", "p3", "p4");

  /** The configuration every tracker in the contract gets. */
  protected static final CompletionConfig CONFIG =
      CompletionConfig.builder()
          .phase(DEADLINE)
          .phase(EARLY)
          .phase(PAIR)
          .phase(FANIN)
          .unconfirmedClaimTimeout(Duration.ofMinutes(5))
          .build();

  /** The contract's clock; pass it to every tracker. */
  protected final FakeClock clock = FakeClock.create();

  /** The publisher of the trackers the scenarios build. */
  protected final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();

  /** Where the scenarios' trackers report; read back after each scenario. */
  protected final MetricsCapture metrics = MetricsCapture.create();

  /**
   * The test's dates ({@code date} and the day after), one of 500,000 pairs drawn at random, so
   * that a store not emptied between tests or runs is unlikely to hold this test's keys already.
   */
  private final LocalDate date =
      LocalDate.of(2000, 1, 1).plusDays(2L * ThreadLocalRandom.current().nextInt(500_000));

  /**
   * Returns a tracker over the store under test that reports to {@code openTelemetry}, standing for
   * one more orchestrator instance. All trackers made during one test share one store.
   *
   * @param config the phases to track
   * @param publisher the publisher of won triggers
   * @param openTelemetry where the tracker reports its metrics
   * @param clock the clock to take every time from
   * @return a tracker over the store under test
   */
  protected abstract CompletionTracker newTracker(
      CompletionConfig config,
      TriggerPublisher publisher,
      OpenTelemetry openTelemetry,
      Clock clock);

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  @Test
  void aDeadlineTriggerCountsItsMissingProcessorAndItsDelay() {
    CompletionTracker tracker = newTracker();
    CompletionKey key = key(DEADLINE);

    tracker.record(key, "odds", Completion.withToken(7));
    clock.advance(Duration.ofHours(3));
    tracker.record(key, "odds", Completion.withToken(7)); // a redelivery
    tracker.record(key, "odds", Completion.withToken(6)); // a stalled older run
    tracker.record(key, "weather", Completion.empty()); // not expected in this phase
    RecordResult won = tracker.record(key, "games", Completion.empty());
    // Late: recorded, but neither a first completion nor a second claim.
    tracker.record(key, "props", Completion.empty());

    assertThat(won.wonTrigger()).isTrue();
    assertPoints(
        DELIVERIES,
        Map.of(
            at(DEADLINE, "outcome", "recorded"), 3L,
            at(DEADLINE, "outcome", "duplicate"), 1L,
            at(DEADLINE, "outcome", "stale"), 1L,
            at(DEADLINE, "outcome", "unexpected"), 1L));
    assertPoints(FIRST, Map.of(at(DEADLINE), 1L));
    assertPoints(
        TRIGGERS,
        Map.of(at(DEADLINE, "event", "claimed"), 1L, at(DEADLINE, "event", "published"), 1L));
    assertDelays(DEADLINE, Duration.ofHours(3));
    assertPoints(INCOMPLETE, Map.of(at(DEADLINE), 1L));
    assertPoints(MISSING, Map.of(at(DEADLINE), 1L));
  }

  @Test
  void aRedeliveryAfterThePassedDeadlineClaimsTheTriggerAndIsCountedAsDuplicate() {
    CompletionTracker tracker = newTracker();
    CompletionKey key = key(EARLY);

    tracker.record(key, "odds", Completion.empty());
    clock.advance(Duration.ofHours(3));
    RecordResult redelivered = tracker.record(key, "odds", Completion.empty());

    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.wonTrigger()).isTrue();
    assertPoints(
        DELIVERIES,
        Map.of(at(EARLY, "outcome", "recorded"), 1L, at(EARLY, "outcome", "duplicate"), 1L));
    assertPoints(FIRST, Map.of(at(EARLY), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(EARLY, "event", "claimed"), 1L, at(EARLY, "event", "published"), 1L));
    assertDelays(EARLY, Duration.ofHours(3));
    assertPoints(INCOMPLETE, Map.of(at(EARLY), 1L));
    assertPoints(MISSING, Map.of(at(EARLY), 2L));
  }

  @Test
  void aSettleAfterThePassedDeadlineCountsItsClaimWithoutADelivery() {
    CompletionTracker tracker = newTracker();
    CompletionKey key = key(EARLY);

    tracker.record(key, "games", Completion.empty());
    clock.advance(Duration.ofHours(2).plusMinutes(1));
    var settled = tracker.settle(key, Audit.by("reconciler", "scheduled run"));

    assertThat(settled.published()).isPresent();
    assertPoints(DELIVERIES, Map.of(at(EARLY, "outcome", "recorded"), 1L));
    assertPoints(FIRST, Map.of(at(EARLY), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(EARLY, "event", "claimed"), 1L, at(EARLY, "event", "published"), 1L));
    assertDelays(EARLY, Duration.ofMinutes(121));
    assertPoints(INCOMPLETE, Map.of(at(EARLY), 1L));
    assertPoints(MISSING, Map.of(at(EARLY), 2L));
  }

  @Test
  void aClaimLeftUnconfirmedIsCountedAsRepublishedWhenSettled() {
    CompletionTracker tracker = newTracker();
    CompletionKey key = key(PAIR);

    tracker.record(key, "odds", Completion.empty());
    clock.advance(Duration.ofSeconds(30));
    publisher.failNext(1);
    assertThatThrownBy(() -> tracker.record(key, "games", Completion.empty()))
        .isInstanceOf(TriggerPublishException.class);
    // A redelivery finds the claim taken: it neither claims nor publishes again.
    assertThat(tracker.record(key, "games", Completion.empty()).wonTrigger()).isFalse();
    clock.advance(CONFIG.unconfirmedClaimTimeout().plusSeconds(1));
    tracker.settle(key, Audit.by("reconciler", "unconfirmed claim"));

    assertThat(publisher.published()).hasSize(1);
    assertPoints(
        DELIVERIES,
        Map.of(at(PAIR, "outcome", "recorded"), 2L, at(PAIR, "outcome", "duplicate"), 1L));
    assertPoints(FIRST, Map.of(at(PAIR), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(PAIR, "event", "claimed"), 1L, at(PAIR, "event", "republished"), 1L));
    assertDelays(PAIR, Duration.ofSeconds(30));
    assertPoints(INCOMPLETE, Map.of());
    assertPoints(MISSING, Map.of());
  }

  @Test
  void aTriggerResetByAnOperatorIsClaimedAgainAndTimedFromTheSameFirstCompletion() {
    CompletionTracker tracker = newTracker();
    CompletionKey key = key(PAIR);

    tracker.record(key, "odds", Completion.empty());
    clock.advance(Duration.ofSeconds(90));
    assertThat(tracker.record(key, "games", Completion.empty()).wonTrigger()).isTrue();
    assertThat(tracker.record(key, "games", Completion.empty()).wonTrigger()).isFalse();
    clock.advance(Duration.ofMinutes(10));
    assertThat(tracker.resetTrigger(key, Audit.by("ops@example.com", "rerun phase"))).isPresent();
    assertThat(tracker.record(key, "odds", Completion.empty()).wonTrigger()).isTrue();

    assertPoints(
        DELIVERIES,
        Map.of(at(PAIR, "outcome", "recorded"), 2L, at(PAIR, "outcome", "duplicate"), 2L));
    assertPoints(FIRST, Map.of(at(PAIR), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(PAIR, "event", "claimed"), 2L, at(PAIR, "event", "published"), 2L));
    assertDelays(PAIR, Duration.ofSeconds(90), Duration.ofSeconds(90 + 600));
    assertPoints(INCOMPLETE, Map.of());
    assertPoints(MISSING, Map.of());
  }

  @Test
  void forcedTriggersCountTheirMissingProcessorsAndADelayOnlyAfterACompletion() {
    CompletionTracker tracker = newTracker();
    CompletionKey started = key(PAIR);
    CompletionKey empty = CompletionKey.of(PAIR.phase(), date.plusDays(1));
    Audit ops = Audit.by("ops@example.com", "source outage, proceed");

    tracker.markComplete(started, "odds", ops);
    clock.advance(Duration.ofMinutes(10));
    assertThat(tracker.forceTrigger(started, ops)).isPresent();
    assertThat(tracker.forceTrigger(empty, ops)).isPresent();

    assertPoints(DELIVERIES, Map.of(at(PAIR, "outcome", "recorded"), 1L));
    assertPoints(FIRST, Map.of(at(PAIR), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(PAIR, "event", "claimed"), 2L, at(PAIR, "event", "published"), 2L));
    assertDelays(PAIR, Duration.ofMinutes(10));
    assertPoints(INCOMPLETE, Map.of(at(PAIR), 2L));
    assertPoints(MISSING, Map.of(at(PAIR), 1L + 2L));
  }

  @Test
  void concurrentDeliveriesFromFiveInstancesCountOneFirstCompletionAndOneClaim() throws Exception {
    CompletionKey key = key(FANIN);
    List<CompletionTracker> instances = new ArrayList<>();
    for (int i = 0; i < FANIN.expected().size(); i++) {
      instances.add(newTracker());
    }
    List<String> processors = List.copyOf(FANIN.expected());
    ExecutorService pool = Executors.newFixedThreadPool(instances.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < instances.size(); i++) {
        CompletionTracker instance = instances.get(i);
        String processor = processors.get(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  instance.record(key, processor, Completion.empty());
                  instance.record(key, processor, Completion.empty());
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(publisher.published()).hasSize(1);
    assertPoints(
        DELIVERIES,
        Map.of(at(FANIN, "outcome", "recorded"), 5L, at(FANIN, "outcome", "duplicate"), 5L));
    assertPoints(FIRST, Map.of(at(FANIN), 1L));
    assertPoints(
        TRIGGERS, Map.of(at(FANIN, "event", "claimed"), 1L, at(FANIN, "event", "published"), 1L));
    assertDelays(FANIN, Duration.ZERO);
    assertPoints(INCOMPLETE, Map.of());
    assertPoints(MISSING, Map.of());
  }

  /** A tracker over the store under test, with the contract's configuration, clock and metrics. */
  private CompletionTracker newTracker() {
    return newTracker(CONFIG, publisher, metrics.openTelemetry(), clock);
  }

  private CompletionKey key(PhaseConfig phase) {
    return CompletionKey.of(phase.phase(), date);
  }

  /** Checks that {@code name} has exactly {@code expected}: no point missing, none extra. */
  private void assertPoints(String name, Map<Attributes, Long> expected) {
    assertThat(metrics.points(name)).as(name).isEqualTo(expected);
  }

  /** Checks that the phase's trigger delay recorded exactly {@code delays}, by count and sum. */
  private void assertDelays(PhaseConfig phase, Duration... delays) {
    assertPoints(DELAY, Map.of(at(phase), (long) delays.length));
    HistogramPointData point = metrics.histogram(DELAY, "phase", phase.phase());
    double seconds = 0;
    for (Duration d : delays) {
      seconds += d.getSeconds() + d.getNano() / 1e9;
    }
    assertThat(point.getSum()).as(DELAY + " sum").isEqualTo(seconds);
  }

  /** The attributes {@code phase} plus {@code pairs} (alternating names and values). */
  private static Attributes at(PhaseConfig phase, String... pairs) {
    var b = Attributes.builder().put("phase", phase.phase());
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      b.put(pairs[i], pairs[i + 1]);
    }
    return b.build();
  }
}
