package dev.pipelinereliability.firestore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RpcTimeoutsTest {

  @Test
  void acceptsPositiveDeadlinesUpToFiveMinutes() {
    assertThat(RpcTimeouts.check(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
    assertThat(RpcTimeouts.check(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void rejectsZeroNegativeAndTooLongNamingTheValue() {
    assertThatThrownBy(() -> RpcTimeouts.check(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> RpcTimeouts.check(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> RpcTimeouts.check(Duration.ofMinutes(5).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT5M0.001S");
  }
}
