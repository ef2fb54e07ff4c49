package dev.pipelinereliability.health.freshness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SourceFreshnessTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static SourceFreshness.Builder valid() {
    return SourceFreshness.builder("odds-api")
        .expectedAt(LocalTime.of(6, 0), NEW_YORK)
        .errorAfter(Duration.ofHours(2));
  }

  @Test
  void warnAfterDefaultsToZeroAndDaysAfterToTheSameDay() {
    SourceFreshness rule = valid().build();
    assertThat(rule.warnAfter()).isZero();
    assertThat(rule.daysAfter()).isZero();
  }

  @Test
  void sourceNameWithSpacesIsRejectedWithTheValue() {
    assertThatThrownBy(
            () ->
                SourceFreshness.builder("odds api")
                    .expectedAt(LocalTime.NOON, NEW_YORK)
                    .errorAfter(Duration.ofHours(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'odds api'");
  }

  @Test
  void errorAfterShorterThanWarnAfterIsRejected() {
    assertThatThrownBy(() -> valid().warnAfter(Duration.ofHours(3)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2H")
        .hasMessageContaining("PT3H");
  }

  @Test
  void equalThresholdsAreAllowed() {
    assertThat(valid().warnAfter(Duration.ofHours(2)).build().warnAfter()).hasHours(2);
  }

  @Test
  void negativeWarnAfterIsRejected() {
    assertThatThrownBy(() -> valid().warnAfter(Duration.ofMinutes(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1M");
  }

  @Test
  void daysAfterOutOfRangeIsRejected() {
    assertThatThrownBy(() -> valid().daysAfter(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> valid().daysAfter(SourceFreshness.MAX_DAYS_AFTER + 1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingExpectedTimeOrErrorThresholdIsReportedByName() {
    assertThatThrownBy(() -> SourceFreshness.builder("x").errorAfter(Duration.ofHours(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expectedAt");
    assertThatThrownBy(
            () -> SourceFreshness.builder("x").expectedAt(LocalTime.NOON, NEW_YORK).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("errorAfter");
  }
}
