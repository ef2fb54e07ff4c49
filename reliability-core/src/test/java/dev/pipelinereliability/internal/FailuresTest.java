package dev.pipelinereliability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void namesTheFailureAndItsRootCauseOnOneLine() {
    Exception failure =
        new IllegalStateException(
            "release failed:\n  UNAVAILABLE",
            new IOException("io", new ConnectException("refused")));

    assertThat(Failures.oneLine(failure))
        .isEqualTo(
            "IllegalStateException: release failed: UNAVAILABLE (cause: ConnectException: refused)");
  }

  @Test
  void aCauseWhoseMessageIsAlreadyQuotedAddsOnlyItsClassName() {
    Exception failure =
        new IllegalStateException(
            "release failed: UNKNOWN: boom", new RuntimeException("UNKNOWN: boom"));

    assertThat(Failures.oneLine(failure))
        .isEqualTo(
            "IllegalStateException: release failed: UNKNOWN: boom (cause: RuntimeException)");
  }

  @Test
  void aFailureWithoutMessageOrCauseIsItsClassName() {
    assertThat(Failures.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  void aHugeMessageIsCut() {
    String line = Failures.oneLine(new RuntimeException("x".repeat(10_000)));

    assertThat(line).hasSize(Failures.MAX_LENGTH).endsWith("...");
  }
}
