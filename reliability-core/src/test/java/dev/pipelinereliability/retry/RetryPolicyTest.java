package dev.pipelinereliability.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Duration MS = Duration.ofMillis(1);

  @Test
  void rejectsNonPositiveBackoffAMaxBelowTheInitialAndAnUnboundedDeadline() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(
            () -> RetryPolicy.builder().initialBackoff(MS.multipliedBy(2)).maxBackoff(MS).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RetryPolicy.builder().deadline(Duration.ofMinutes(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT11M");
    assertThat(RetryPolicy.DEFAULT.deadline()).hasValue(Duration.ofSeconds(60));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the builder must name it
  void rejectsAttemptsOutOfRangeNamingTheValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
    assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> RetryPolicy.builder().deadline(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("deadline");
  }

  @Test
  void theDefaultIsTheCompareAndSetPolicyAndTheBuilderStartsFromIt() {
    RetryPolicy d = RetryPolicy.DEFAULT;
    assertThat(d.maxAttempts()).isEqualTo(200);
    assertThat(d.initialBackoff()).isEqualTo(Duration.ofMillis(10));
    assertThat(d.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.jitter()).isEqualTo(RetryPolicy.Jitter.HALF);
    assertThat(RetryPolicy.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    assertThat(RetryPolicy.none().deadline()).isEmpty();
    assertThat(d.toString()).contains("maxAttempts=200", "deadline=PT1M", "HALF");
  }

  @Test
  void theCapDoublesFromTheInitialBackoffUpToTheMax() {
    RetryPolicy p =
        RetryPolicy.builder()
            .initialBackoff(Duration.ofSeconds(1))
            .maxBackoff(Duration.ofSeconds(30))
            .build();
    assertThat(p.backoffCap(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoffCap(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoffCap(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.backoffCap(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.backoffCap(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.backoffCap(1000)).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> p.backoffCap(0)).hasMessageContaining("was 0");
  }

  @Test
  void halfJitterDrawsBetweenHalfAndAllOfTheCapFullJitterFromZeroInMicroseconds() {
    Random random = new Random(7);
    RetryPolicy half = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).build();
    RetryPolicy full = half.toBuilder().jitter(RetryPolicy.Jitter.FULL).build();
    boolean fullBelowHalf = false;
    for (int i = 0; i < 1000; i++) {
      assertThat(half.backoff(2, random)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
      Duration f = full.backoff(2, random);
      assertThat(f).isBetween(Duration.ZERO, Duration.ofMillis(200));
      assertThat(f.toNanos() % 1_000).isZero();
      fullBelowHalf |= f.compareTo(Duration.ofMillis(100)) < 0;
    }
    assertThat(fullBelowHalf).as("full jitter reaches below half the cap").isTrue();
  }
}
