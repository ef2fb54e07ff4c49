package dev.pipelinereliability.testkit.completion;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Lost compare-and-sets are retried after a jittered, doubling, capped backoff, and an operation
 * gives up at its deadline. Time is a {@link FakeClock} advanced by the fake sleep: nothing sleeps.
 */
class RetryBackoffTest {
  private static final PhaseConfig PHASE = PhaseConfig.of("phase3", "a", "b", "c");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE);
  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));
  private static final RetryPolicy POLICY =
      RetryPolicy.builder()
          .initialBackoff(Duration.ofMillis(10))
          .maxBackoff(Duration.ofMillis(200))
          .deadline(Duration.ofSeconds(5))
          .build();

  private final FakeClock clock = FakeClock.create();

  /** Writes that still lose: each one first bumps the stored version, as a rival writer would. */
  private final AtomicInteger rivalWrites = new AtomicInteger();

  private final AtomicReference<InMemoryCompletionTracker.Store> storeRef = new AtomicReference<>();
  private final InMemoryCompletionTracker.Store store =
      new InMemoryCompletionTracker.Store(
          () -> {
            if (rivalWrites.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
              InMemoryCompletionTracker.Store self = requireNonNull(storeRef.get());
              self.get(KEY).ifPresent(self::put);
            }
          });

  private InMemoryCompletionTracker tracker(RetryPolicy policy) {
    storeRef.set(store);
    return InMemoryCompletionTracker.withStore(
        store, CONFIG, new RecordingTriggerPublisher(), policy, clock, clock);
  }

  @Test
  void eachLostAttemptWaitsAJitteredBackoffThatDoubles() {
    InMemoryCompletionTracker tracker = tracker(POLICY);
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    // The first two writes of "b" lose to a rival writer; the third lands.
    rivalWrites.set(2);

    assertThat(tracker.record(KEY, "b", Completion.ofMessage("b")).outcome())
        .isEqualTo(RecordOutcome.RECORDED);

    assertThat(clock.sleeps()).hasSize(2);
    assertThat(clock.sleeps().get(0)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
    assertThat(clock.sleeps().get(1)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
    assertThat(tracker.state(KEY).storedCount()).hasValue(2);
  }

  @Test
  void anOperationThatKeepsLosingGivesUpAtItsDeadlineWithCappedJitteredWaits() {
    InMemoryCompletionTracker tracker = tracker(POLICY);
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    Instant start = clock.instant();
    rivalWrites.set(Integer.MAX_VALUE);

    assertThatThrownBy(() -> tracker.record(KEY, "b", Completion.ofMessage("b")))
        .isInstanceOf(CompletionStoreException.class)
        .hasMessageContaining("deadline of PT5S");

    Duration waited = clock.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isLessThanOrEqualTo(POLICY.deadline().orElseThrow());
    assertThat(waited).isGreaterThan(POLICY.deadline().orElseThrow().minus(POLICY.maxBackoff()));
    assertThat(Duration.between(start, clock.instant()))
        .isLessThanOrEqualTo(POLICY.deadline().orElseThrow());
    assertThat(clock.sleeps())
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(5), POLICY.maxBackoff()));
    // Capped waits are drawn between half and all of the cap, not all the same.
    List<Duration> capped = clock.sleeps().subList(6, clock.sleeps().size());
    assertThat(capped)
        .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(100)));
    assertThat(new HashSet<>(capped)).hasSizeGreaterThan(capped.size() / 2);
    assertThat(clock.sleeps().size()).isBetween(25, 60);
  }

  @Test
  void theAttemptCapEndsAnOperationWhoseDeadlineIsFarAway() {
    RetryPolicy tiny =
        RetryPolicy.builder()
            .initialBackoff(Duration.ofNanos(1000))
            .maxBackoff(Duration.ofNanos(1000))
            .deadline(Duration.ofMinutes(10))
            .build();
    InMemoryCompletionTracker tracker = tracker(tiny);
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    rivalWrites.set(Integer.MAX_VALUE);

    assertThatThrownBy(() -> tracker.record(KEY, "b", Completion.ofMessage("b")))
        .isInstanceOf(CompletionStoreException.class)
        .hasMessageContaining("in 200 attempts");
    assertThat(clock.sleeps()).hasSize(199);
  }

  @Test
  void theDeadlineRunsOnTheSleepersTimeNotOnTheBusinessClock() {
    // A business clock that runs at another speed (here: ten times the sleeper's time, like the
    // replay's compressed clock) must neither shorten nor stretch the retry deadline.
    FakeClock sleeper = FakeClock.create();
    Instant start = sleeper.instant();
    Clock business =
        new Clock() {
          @Override
          public Instant instant() {
            return start.plus(Duration.between(start, sleeper.instant()).multipliedBy(10));
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }
        };
    storeRef.set(store);
    InMemoryCompletionTracker tracker =
        InMemoryCompletionTracker.withStore(
            store, CONFIG, new RecordingTriggerPublisher(), POLICY, sleeper, business);
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    rivalWrites.set(Integer.MAX_VALUE);

    assertThatThrownBy(() -> tracker.record(KEY, "b", Completion.ofMessage("b")))
        .isInstanceOf(CompletionStoreException.class)
        .hasMessageContaining("deadline of PT5S");

    Duration waited = sleeper.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isGreaterThan(POLICY.deadline().orElseThrow().minus(POLICY.maxBackoff()));
    assertThat(waited).isLessThanOrEqualTo(POLICY.deadline().orElseThrow());
  }
}
