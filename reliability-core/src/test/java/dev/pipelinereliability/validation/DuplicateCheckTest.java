package dev.pipelinereliability.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateCheckTest {

  private final DuplicateCheck check =
      DuplicateCheck.of("ds.t", List.of("a", "b")).inPartition("game_date", LocalDate.EPOCH);

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> DuplicateCheck.of(" ", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DuplicateCheck.of("t", List.of("a", "a"))).hasMessageContaining("'a'");
    assertThatThrownBy(() -> check.withSampleLimit(1001)).hasMessageContaining("1001");
    assertThatThrownBy(() -> check.inPartition("d", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }

  @Test
  void reportDerivesDistinctKeysAndCleanliness() {
    DuplicateReport dirty =
        new DuplicateReport(check, 10, 2, 3, List.of(new DuplicateSample(List.of("x", 1L), 3)));
    assertThat(dirty.distinctKeys()).isEqualTo(7);
    assertThat(dirty.isClean()).isFalse();
    assertThatThrownBy(dirty::requireClean)
        .isInstanceOfSatisfying(
            DuplicatesFoundException.class, e -> assertThat(e.report()).isSameAs(dirty))
        .hasMessageContaining("3 excess row(s) of 10");

    DuplicateReport clean = new DuplicateReport(check, 10, 0, 0, List.of());
    assertThat(clean.isClean()).isTrue();
    assertThat(clean.requireClean()).isSameAs(clean);
  }

  @Test
  void reportRejectsInconsistentCounts() {
    assertThatThrownBy(() -> new DuplicateReport(check, 10, 0, 3, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DuplicateReport(check, 10, 3, 2, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DuplicateReport(check, 4, 2, 3, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
