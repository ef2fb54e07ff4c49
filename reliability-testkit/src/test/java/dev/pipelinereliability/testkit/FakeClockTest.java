package dev.pipelinereliability.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
  void listenersRunAfterEveryMoveOfAnySharingClockUntilClosed() {
    FakeClock utc = FakeClock.create();
    FakeClock newYork = utc.withZone(ZoneId.of("America/New_York"));
    List<Instant> seen = new ArrayList<>();
    FakeClock.Subscription subscription = newYork.onChange(() -> seen.add(newYork.instant()));

    utc.advance(Duration.ofMinutes(1));
    utc.sleep(Duration.ofMinutes(2));
    utc.set(FakeClock.DEFAULT_START);
    subscription.close();
    subscription.close();
    utc.advance(Duration.ofMinutes(4));

    assertThat(seen)
        .containsExactly(
            FakeClock.DEFAULT_START.plus(Duration.ofMinutes(1)),
            FakeClock.DEFAULT_START.plus(Duration.ofMinutes(3)),
            FakeClock.DEFAULT_START);
  }

  @Test
  void closingOneOfTwoRegistrationsOfAListenerKeepsTheOther() {
    FakeClock clock = FakeClock.create();
    AtomicInteger calls = new AtomicInteger();
    Runnable listener = calls::incrementAndGet;
    clock.onChange(listener);
    clock.onChange(listener).close();

    clock.advance(Duration.ofSeconds(1));

    assertThat(calls).hasValue(1);
  }

  @Test
  void setJumpsAnywhere() {
    Instant earlier = Instant.parse("2020-01-01T00:00:00Z");
    assertThat(FakeClock.create().set(earlier).instant()).isEqualTo(earlier);
  }
}
