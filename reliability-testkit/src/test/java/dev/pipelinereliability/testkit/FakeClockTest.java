package dev.pipelinereliability.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void standsStillUntilAdvanced() {
    FakeClock clock = FakeClock.create();
    Instant start = clock.instant();

    assertThat(clock.instant()).isEqualTo(start).isEqualTo(FakeClock.DEFAULT_START);
    clock.advance(Duration.ofMinutes(10));
    assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(10)));
  }

  @Test
  void zonedViewsShareTheInstant() {
    FakeClock utc = FakeClock.create();
    FakeClock newYork = utc.withZone(ZoneId.of("America/New_York"));

    utc.advance(Duration.ofHours(1));

    assertThat(newYork.instant()).isEqualTo(utc.instant());
    assertThat(newYork.getZone()).isEqualTo(ZoneId.of("America/New_York"));
  }

  @Test
  void refusesToGoBackwardsByAdvance() {
    assertThatThrownBy(() -> FakeClock.create().advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void setJumpsAnywhere() {
    Instant earlier = Instant.parse("2020-01-01T00:00:00Z");
    assertThat(FakeClock.create().set(earlier).instant()).isEqualTo(earlier);
  }
}
