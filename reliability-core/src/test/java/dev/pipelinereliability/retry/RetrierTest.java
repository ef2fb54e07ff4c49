package dev.pipelinereliability.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loop in fake time: a clock that the sleeper advances (the testkit's FakeClock does both). */
class RetrierTest {
  private final List<Duration> sleeps = new ArrayList<>();
  private Instant now = Instant.parse("2026-02-03T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
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

  private Retrier retrier(RetryPolicy policy) {
    return Retrier.builder(policy)
        .clock(clock)
        .sleeper(
            d -> {
              sleeps.add(d);
              now = now.plus(d);
            })
        .random(new Random(1))
        .build();
  }

  @Test
  void theFirstAttemptRunsAtOnceAndTheAttemptCapEndsTheLoop() throws InterruptedException {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(5)
            .initialBackoff(Duration.ofSeconds(1))
            .maxBackoff(Duration.ofSeconds(30))
            .noDeadline()
            .jitter(RetryPolicy.Jitter.FULL)
            .build();
    Retrier.Attempts attempts = retrier(policy).start();
    List<Integer> told = new ArrayList<>();
    int runs = 0;
    while (attempts.next((failed, wait) -> told.add(failed))) {
      runs++;
      if (runs == 1) {
        assertThat(sleeps).isEmpty();
      }
    }
    assertThat(runs).isEqualTo(5);
    assertThat(attempts.count()).isEqualTo(5);
    assertThat(told).containsExactly(1, 2, 3, 4);
    assertThat(sleeps).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(sleeps.get(i)).isBetween(Duration.ZERO, policy.backoffCap(i + 1));
    }
    assertThat(attempts.deadlinePassed()).isFalse();
    assertThat(attempts.exhaustedReason()).isEqualTo("in 5 attempts");
  }

  @Test
  void noWaitEndsPastTheDeadline() throws InterruptedException {
    RetryPolicy policy =
        RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(200))
            .deadline(Duration.ofSeconds(5))
            .build();
    Instant start = now;
    Retrier.Attempts attempts = retrier(policy).start();
    while (attempts.next()) {
      now = now.plusMillis(1); // each attempt takes time too
    }
    assertThat(attempts.deadlinePassed()).isTrue();
    assertThat(attempts.exhaustedReason()).isEqualTo("within its deadline of PT5S");
    assertThat(Duration.between(start, now)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(Duration.between(start, now))
        .isGreaterThan(Duration.ofSeconds(5).minus(policy.maxBackoff()));
  }

  @Test
  void anInterruptedWaitThrowsInterruptedException() throws InterruptedException {
    Retrier r =
        Retrier.builder(RetryPolicy.DEFAULT)
            .sleeper(
                d -> {
                  throw new InterruptedException("stop");
                })
            .build();
    Retrier.Attempts attempts = r.start();
    assertThat(attempts.next()).isTrue();
    assertThatThrownBy(attempts::next).isInstanceOf(InterruptedException.class);
    assertThat(r.policy()).isSameAs(RetryPolicy.DEFAULT);
  }

  @Test
  void theSystemSleeperSleeps() throws InterruptedException {
    long start = System.nanoTime();
    Sleeper.system().sleep(Duration.ofMillis(5));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(5));
  }
}
