package dev.pipelinereliability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckResultTest {
  @Test
  void blankNameIsRejectedWithTheValue() {
    assertThatThrownBy(() -> CheckResult.ok(" ", "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("' '");
  }

  @Test
  void nameWithControlCharacterIsRejected() {
    assertThatThrownBy(() -> CheckResult.ok("a\nb", "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters");
  }

  @Test
  void overlongNameIsRejected() {
    assertThatThrownBy(() -> CheckResult.ok("x".repeat(CheckResult.MAX_NAME_LENGTH + 1), "m"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CheckResult.ok("x".repeat(CheckResult.MAX_NAME_LENGTH), "m").name())
        .hasSize(CheckResult.MAX_NAME_LENGTH);
  }

  @Test
  void blankDetailKeyIsRejected() {
    assertThatThrownBy(() -> CheckResult.warn("n", "m", Map.of("", "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("detail key");
  }

  @Test
  void detailsAreCopiedSoLaterChangesDoNotLeakIn() {
    Map<String, String> details = new HashMap<>();
    details.put("k", "v");
    CheckResult result = CheckResult.fail("n", "m", details);
    details.put("k2", "v2");
    assertThat(result.details()).containsOnlyKeys("k");
  }

  @Test
  void errorNamesTheExceptionAndItsRootCause() {
    CheckResult result =
        CheckResult.error(
            "n",
            "could not run",
            new IllegalStateException(
                "query failed", new UncheckedIOException(new IOException("connection refused"))));

    assertThat(result.status()).isEqualTo(HealthStatus.ERROR);
    assertThat(result.details())
        .containsEntry("error", "java.lang.IllegalStateException: query failed")
        .containsEntry("rootCause", "java.io.IOException: connection refused");
  }
}
