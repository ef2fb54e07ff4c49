package dev.pipelinereliability.firestore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest {

  @Test
  void acceptsAnyPositiveRetentionFromTheMinimumOn() {
    assertThat(Retention.check(Duration.ofHours(1), Duration.ofHours(1)))
        .isEqualTo(Duration.ofHours(1));
    assertThat(Retention.check(Duration.ofNanos(1), Duration.ZERO)).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check must name the parameter
  void rejectsShorterOrNonPositiveRetentionsNamingTheValue() {
    assertThatThrownBy(() -> Retention.check(Duration.ofMinutes(59), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retention must be at least PT1H, but was PT59M");
    assertThatThrownBy(() -> Retention.check(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retention must be positive, but was PT0S");
    assertThatThrownBy(() -> Retention.check(Duration.ofDays(-1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-24H");
    assertThatThrownBy(() -> Retention.check(null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retention");
  }
}
