package dev.pipelinereliability.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void humanDurationsNameEachNonZeroUnit() {
    assertThat(Text.human(Duration.ofHours(8).plusMinutes(45))).isEqualTo("8h45m");
    assertThat(Text.human(Duration.ofDays(2).plusHours(3).plusSeconds(4))).isEqualTo("2d3h4s");
    assertThat(Text.human(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Text.human(Duration.ZERO)).isEqualTo("0s");
    assertThat(Text.human(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Text.human(Duration.ofMinutes(-12))).isEqualTo("-12m");
  }

  @Test
  void oneLineFlattensLineBreaksAndControlCharacters() {
    assertThat(Text.oneLine("a\nb\r\nc\td\u0007e\u2028f")).isEqualTo("a b  c d?e f");
  }
}
