package dev.pipelinereliability.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CompletionValuesTest {
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);

  @Test
  void keyRejectsBadPhaseNamingIt() {
    assertThatThrownBy(() -> CompletionKey.of("Phase 3", DATE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Phase 3'");
    assertThat(CompletionKey.of("phase3", DATE)).hasToString("phase3/2026-02-03");
  }

  @Test
  void processorNamesStartingWithUnderscoreAreRejectedBecauseStoresReserveThem() {
    assertThatThrownBy(() -> ProcessorNames.check("_triggered"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'_triggered'");
    assertThatThrownBy(() -> ProcessorNames.check("team.offense"))
        .hasMessageContaining("'team.offense'");
    assertThat(ProcessorNames.check("PlayerGameSummaryProcessor"))
        .isEqualTo("PlayerGameSummaryProcessor");
  }

  @Test
  void completionRejectsNegativeCountsAndBadDetailsNamingThem() {
    assertThatThrownBy(() -> Completion.builder().rowCount(-1).build()).hasMessageContaining("-1");
    assertThatThrownBy(() -> Completion.withToken(-3)).hasMessageContaining("-3");
    assertThatThrownBy(() -> Completion.builder().detail("bad key", "v").build())
        .hasMessageContaining("'bad key'");
    assertThatThrownBy(() -> Completion.builder().detail("k", "line\nbreak").build())
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> Completion.ofMessage(" ")).hasMessageContaining("messageId");
  }

  @Test
  void detailsKeepInsertionOrderAndCannotBeModified() {
    Completion c = Completion.builder().detail("z", "1").detail("a", "2").build();

    assertThat(c.details().keySet()).containsExactly("z", "a");
    assertThatThrownBy(() -> c.details().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void tokenOrderDecidesOlderAndNewer() {
    Completion t5 = Completion.withToken(5);
    Completion t7 = Completion.withToken(7);
    Completion none = Completion.ofMessage("m");

    assertThat(t5.isOlderThan(t7)).isTrue();
    assertThat(t7.isOlderThan(t5)).isFalse();
    assertThat(t7.isNewerThan(t5)).isTrue();
    assertThat(t7.isNewerThan(Completion.withToken(7))).isFalse();
    assertThat(none.isOlderThan(t7)).isFalse();
    assertThat(none.isNewerThan(t5)).isFalse();
    assertThat(t5.isNewerThan(none)).isTrue();
  }

  @Test
  void phaseConfigRejectsRepeatsAndAMinimumAboveTheExpectedCount() {
    assertThatThrownBy(() -> PhaseConfig.of("phase3", "a", "b", "a")).hasMessageContaining("'a'");
    assertThatThrownBy(() -> PhaseConfig.of("phase3")).hasMessageContaining("phase3");
    PhaseConfig two = PhaseConfig.of("phase3", "a", "b");
    assertThatThrownBy(
            () -> two.withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(1), 3)))
        .hasMessageContaining("3");
    assertThatThrownBy(() -> DeadlinePolicy.afterFirstCompletion(Duration.ZERO, 1))
        .hasMessageContaining("PT0S");
  }

  @Test
  void configNamesAnUnknownPhaseAndTheKnownOnes() {
    CompletionConfig config = CompletionConfig.of(PhaseConfig.of("phase3", "a"));

    assertThatThrownBy(() -> config.phase("phase4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'phase4'")
        .hasMessageContaining("[phase3]");
    assertThatThrownBy(
            () -> CompletionConfig.of(PhaseConfig.of("phase3", "a"), PhaseConfig.of("phase3", "b")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> CompletionConfig.builder().unconfirmedClaimTimeout(Duration.ZERO))
        .hasMessageContaining("PT0S");
  }

  @Test
  void stateDerivesCountsFromCompletionsNotFromTheStoredCount() {
    CompletionKey key = CompletionKey.of("phase3", DATE);
    Instant t = Instant.parse("2026-02-04T10:00:00Z");
    Map<String, RecordedCompletion> five =
        Map.of(
            "a", new RecordedCompletion("a", Completion.empty(), t),
            "b", new RecordedCompletion("b", Completion.empty(), t.plusSeconds(5)),
            "c", new RecordedCompletion("c", Completion.empty(), t.minusSeconds(5)),
            "legacy_extra", new RecordedCompletion("legacy_extra", Completion.empty(), t));
    CompletionState s =
        new CompletionState(
            key,
            java.util.Set.of("a", "b", "c", "d"),
            five,
            OptionalInt.of(3),
            Optional.empty(),
            0,
            List.of());

    assertThat(s.completedCount()).isEqualTo(3);
    assertThat(s.countDrifted()).isFalse();
    assertThat(s.missing()).containsExactly("d");
    assertThat(s.unexpected()).containsExactly("legacy_extra");
    assertThat(s.allComplete()).isFalse();
    assertThat(s.firstCompletionAt()).hasValue(t.minusSeconds(5));
    CompletionState drifted =
        new CompletionState(
            key, s.expected(), five, OptionalInt.of(1), Optional.empty(), 0, List.of());
    assertThat(drifted.countDrifted()).isTrue();
    CompletionState noCount =
        new CompletionState(
            key, s.expected(), five, OptionalInt.empty(), Optional.empty(), 0, List.of());
    assertThat(noCount.countDrifted()).isTrue();
  }

  @Test
  void triggerIdIsPhaseDateAndGenerationAndSurvivesConfirmation() {
    CompletionKey key = CompletionKey.of("phase3", DATE);
    Instant t = Instant.parse("2026-02-04T10:00:00Z");
    Trigger claim = Trigger.claim(key, 1, Trigger.REASON_ALL_COMPLETE, "", t, java.util.Set.of());

    assertThat(claim.id()).isEqualTo("phase3/2026-02-03/1");
    assertThat(claim.confirmed()).isFalse();
    Trigger confirmed = claim.reclaimedAt(t.plusSeconds(60)).confirmedAt(t.plusSeconds(61));
    assertThat(confirmed.id()).isEqualTo(claim.id());
    assertThat(confirmed.publishedAt()).hasValue(t.plusSeconds(61));
  }

  @Test
  void everyClaimAndRenewalHasItsOwnNonceAndConfirmationKeepsIt() {
    CompletionKey key = CompletionKey.of("phase3", DATE);
    Instant t = Instant.parse("2026-02-04T10:00:00Z");
    Trigger mine = Trigger.claim(key, 1, Trigger.REASON_ALL_COMPLETE, "", t, java.util.Set.of());
    Trigger theirs = Trigger.claim(key, 1, Trigger.REASON_ALL_COMPLETE, "", t, java.util.Set.of());

    assertThat(mine.claimNonce()).isNotEmpty().isNotEqualTo(theirs.claimNonce());
    assertThat(mine.sameClaimAs(theirs)).isFalse();
    assertThat(mine.sameClaimAs(mine.confirmedAt(t))).isTrue();
    assertThat(mine.sameClaimAs(mine.reclaimedAt(t.plusSeconds(1)))).isFalse();
    Trigger legacy =
        new Trigger(
            mine.id(), key, 1, "x", "", t, java.util.Set.of(), java.util.Optional.empty(), "");
    assertThat(legacy.sameClaimAs(legacy)).isFalse();
  }

  @Test
  void auditRejectsBlankActorAndReason() {
    assertThatThrownBy(() -> Audit.by(" ", "why")).hasMessageContaining("actor");
    assertThatThrownBy(() -> Audit.by("ops", "")).hasMessageContaining("reason");
  }

  @Test
  void landedRowsRejectsNegativeCountsAndDefaultsToZero() {
    assertThatThrownBy(() -> new LandedRows(Map.of("t", Map.of(DATE, -1L))))
        .hasMessageContaining("-1");
    LandedRows rows = new LandedRows(Map.of("t", Map.of(DATE, 5L)));
    assertThat(rows.rows("t", DATE)).isEqualTo(5);
    assertThat(rows.rows("t", DATE.plusDays(1))).isZero();
    assertThat(rows.rows("other", DATE)).isZero();
  }
}
