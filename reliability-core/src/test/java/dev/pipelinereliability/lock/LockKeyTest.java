package dev.pipelinereliability.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockKeyTest {

  @Test
  void dateKeysUseIsoFormat() {
    assertThat(LockKey.of("phase3", LocalDate.of(2024, 11, 20)))
        .isEqualTo(LockKey.of("phase3", "2024-11-20"));
  }

  @Test
  void toStringJoinsTypeAndKey() {
    assertThat(LockKey.of("grading", "2024-11-20")).hasToString("grading/2024-11-20");
  }

  @Test
  void keysMayHoldCharactersBackendsMustEncode() {
    assertThat(LockKey.of("phase4", "a/b.c/../__name__").key()).isEqualTo("a/b.c/../__name__");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Phase3", "3phase", "phase 3", "phase/3", "phase.3"})
  void badTypesAreRejectedNamingTheValue(String type) {
    assertThatThrownBy(() -> LockKey.of(type, "2024-11-20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + type + "'");
  }

  @Test
  void overlongTypeIsRejected() {
    String type = "p".repeat(LockKey.MAX_TYPE_LENGTH + 1);
    assertThatThrownBy(() -> LockKey.of(type, "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(type);
    assertThat(LockKey.of("p".repeat(LockKey.MAX_TYPE_LENGTH), "k")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankKeysAreRejected(String key) {
    assertThatThrownBy(() -> LockKey.of("phase3", key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void controlCharactersAreRejected() {
    assertThatThrownBy(() -> LockKey.of("phase3", "2024-11-20\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters")
        .hasMessageContaining("2024-11-20");
  }

  @Test
  void longestKeyIsAcceptedAndOneMoreIsRejected() {
    assertThat(LockKey.of("phase3", "k".repeat(LockKey.MAX_KEY_LENGTH))).isNotNull();
    assertThatThrownBy(() -> LockKey.of("phase3", "k".repeat(LockKey.MAX_KEY_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1025 characters");
  }

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void nullsAreRejectedNamingTheParameter() {
    assertThatThrownBy(() -> LockKey.of(null, "k")).hasMessage("type");
    assertThatThrownBy(() -> LockKey.of("phase3", (String) null)).hasMessage("key");
    assertThatThrownBy(() -> LockKey.of("phase3", (LocalDate) null)).hasMessage("date");
  }

  @Test
  void invalidKeysAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> LockKey.of("", "2024-11-20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("''");
    assertThatThrownBy(() -> LockKey.of("Phase 3", "2024-11-20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Phase 3'");
    assertThatThrownBy(() -> LockKey.of("phase3", "   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'   '");
    assertThatThrownBy(() -> LockKey.of("phase3", "x".repeat(LockKey.MAX_KEY_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(LockKey.MAX_KEY_LENGTH + 1));
  }
}
