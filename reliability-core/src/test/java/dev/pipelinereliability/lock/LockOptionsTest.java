package dev.pipelinereliability.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockOptionsTest {

  @Test
  void defaultsFollowTheSeedPipelines() {
    LockOptions defaults = LockOptions.ofDefaults();

    assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.maxWait()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.backgroundRenewal()).isFalse();
    assertThat(defaults.lostListener()).isSameAs(LockLostListener.NONE);
  }

  @Test
  void toBuilderRoundTrips() {
    LockLostListener listener = (h, c) -> {};
    LockOptions options =
        LockOptions.builder()
            .leaseDuration(Duration.ofMinutes(2))
            .maxWait(Duration.ofSeconds(30))
            .backgroundRenewal(true)
            .onLockLost(listener)
            .build();

    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.withMaxWait(Duration.ZERO).maxWait()).isZero();
    assertThat(options.withLeaseDuration(Duration.ofMinutes(3)).leaseDuration())
        .isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void leaseMustBePositiveAndAtMostADay() {
    assertThatThrownBy(() -> LockOptions.builder().leaseDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseDuration")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> LockOptions.builder().leaseDuration(Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT25H");
    assertThat(LockOptions.builder().leaseDuration(Duration.ofHours(24)).build()).isNotNull();
  }

  @Test
  void maxWaitMayBeZeroButNotNegative() {
    assertThat(LockOptions.builder().maxWait(Duration.ZERO).build().maxWait()).isZero();
    assertThatThrownBy(() -> LockOptions.builder().maxWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWait")
        .hasMessageContaining("PT-1S");
  }

  @Test
  void backgroundRenewalNeedsALeaseOfAtLeastThreeSeconds() {
    assertThatThrownBy(
            () ->
                LockOptions.builder()
                    .leaseDuration(Duration.ofMillis(2999))
                    .backgroundRenewal(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2.999S");
    assertThat(
            LockOptions.builder()
                .leaseDuration(LockOptions.MIN_RENEWABLE_LEASE)
                .backgroundRenewal(true)
                .build()
                .backgroundRenewal())
        .isTrue();
  }

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void nullsAreRejectedNamingTheParameter() {
    assertThatThrownBy(() -> LockOptions.builder().leaseDuration(null)).hasMessage("leaseDuration");
    assertThatThrownBy(() -> LockOptions.builder().maxWait(null)).hasMessage("maxWait");
    assertThatThrownBy(() -> LockOptions.builder().onLockLost(null)).hasMessage("lostListener");
  }

  @Test
  void invalidMinimumHoldsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> LockOptions.builder().holdAtLeast(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(
            () ->
                LockOptions.builder()
                    .leaseDuration(Duration.ofMinutes(1))
                    .holdAtLeast(Duration.ofMinutes(2))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2M")
        .hasMessageContaining("PT1M");
  }

  @Test
  void invalidOptionsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> LockOptions.builder().leaseDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> LockOptions.builder().leaseDuration(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-5S");
    assertThatThrownBy(() -> LockOptions.builder().maxWait(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
    assertThatThrownBy(
            () ->
                LockOptions.builder()
                    .leaseDuration(Duration.ofSeconds(1))
                    .backgroundRenewal(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1S");
  }
}
