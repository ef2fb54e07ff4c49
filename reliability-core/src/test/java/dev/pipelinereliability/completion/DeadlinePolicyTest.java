package dev.pipelinereliability.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadlinePolicyTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Set<String> EXPECTED = Set.of("a", "b", "c", "d", "e");

  private static CompletionState stateOf(LocalDate date, Instant at, String... completed) {
    Map<String, RecordedCompletion> done = new java.util.HashMap<>();
    for (String p : completed) {
      done.put(p, new RecordedCompletion(p, Completion.empty(), at));
    }
    return new CompletionState(
        CompletionKey.of("phase4", date),
        EXPECTED,
        done,
        OptionalInt.empty(),
        Optional.empty(),
        0,
        java.util.List.of());
  }

  @Test
  void tenOClockNewYorkOnTheDayAfterFollowsDaylightSavingTime() {
    DeadlinePolicy policy = DeadlinePolicy.atLocalTime(LocalTime.of(10, 0), NEW_YORK, 1, 3);
    Instant t = Instant.parse("2026-03-06T20:00:00Z");

    // D+1 = 2026-03-07 is standard time (UTC-5); D+1 = 2026-03-08 is the spring-forward day
    // (UTC-4).
    assertThat(policy.dueAt(stateOf(LocalDate.of(2026, 3, 6), t)))
        .hasValue(Instant.parse("2026-03-07T15:00:00Z"));
    assertThat(policy.dueAt(stateOf(LocalDate.of(2026, 3, 7), t)))
        .hasValue(Instant.parse("2026-03-08T14:00:00Z"));
    // Fall back on 2026-11-01: D+1 = 2026-11-01 is already standard time at 10:00.
    assertThat(policy.dueAt(stateOf(LocalDate.of(2026, 10, 31), t)))
        .hasValue(Instant.parse("2026-11-01T15:00:00Z"));
  }

  @Test
  void aTimeInTheSpringGapMovesForwardAndOneInTheFallOverlapTakesTheEarlierInstant() {
    DeadlinePolicy gap = DeadlinePolicy.atLocalTime(LocalTime.of(2, 30), NEW_YORK, 0, 1);
    DeadlinePolicy overlap = DeadlinePolicy.atLocalTime(LocalTime.of(1, 30), NEW_YORK, 0, 1);
    Instant t = Instant.parse("2026-03-01T00:00:00Z");

    // 02:30 does not exist on 2026-03-08: 03:30 EDT.
    assertThat(gap.dueAt(stateOf(LocalDate.of(2026, 3, 8), t)))
        .hasValue(Instant.parse("2026-03-08T07:30:00Z"));
    // 01:30 happens twice on 2026-11-01: the first, EDT.
    assertThat(overlap.dueAt(stateOf(LocalDate.of(2026, 11, 1), t)))
        .hasValue(Instant.parse("2026-11-01T05:30:00Z"));
  }

  @Test
  void passedNeedsTheDeadlineAndTheMinimum() {
    DeadlinePolicy policy = DeadlinePolicy.atLocalTime(LocalTime.of(10, 0), NEW_YORK, 1, 3);
    LocalDate date = LocalDate.of(2026, 3, 6);
    Instant due = Instant.parse("2026-03-07T15:00:00Z");
    CompletionState three = stateOf(date, due.minusSeconds(3600), "a", "b", "c");
    CompletionState two = stateOf(date, due.minusSeconds(3600), "a", "b");

    assertThat(policy.passed(three, due.minusMillis(1))).isFalse();
    assertThat(policy.passed(three, due)).isTrue();
    assertThat(policy.passed(two, due.plusSeconds(3600))).isFalse();
    assertThat(policy.describe(three))
        .isEqualTo("deadline 10:00 America/New_York on 2026-03-07 (2026-03-07T15:00:00Z)");
  }

  @Test
  void relativeDeadlineIsUndeterminedBeforeTheFirstCompletion() {
    DeadlinePolicy policy = DeadlinePolicy.afterFirstCompletion(Duration.ofHours(4), 1);
    LocalDate date = LocalDate.of(2026, 3, 6);
    Instant first = Instant.parse("2026-03-06T20:00:00Z");

    assertThat(policy.dueAt(stateOf(date, first))).isEmpty();
    assertThat(policy.dueAt(stateOf(date, first, "b"))).hasValue(first.plus(Duration.ofHours(4)));
  }

  @Test
  void badValuesAreRejectedNamingThem() {
    assertThatThrownBy(() -> DeadlinePolicy.atLocalTime(LocalTime.NOON, NEW_YORK, 32, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32");
    assertThatThrownBy(() -> DeadlinePolicy.atLocalTime(LocalTime.NOON, NEW_YORK, -1, 1))
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> DeadlinePolicy.atLocalTime(LocalTime.NOON, NEW_YORK, 1, 0))
        .hasMessageContaining("minimumProcessors")
        .hasMessageContaining("0");
    assertThatThrownBy(
            () ->
                PhaseConfig.of("phase4", "a", "b")
                    .withDeadline(DeadlinePolicy.atLocalTime(LocalTime.NOON, NEW_YORK, 1, 3)))
        .hasMessageContaining("3");
  }
}
