package dev.pipelinereliability.completion.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.CompletionKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcileReportTest {
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);
  private static final CompletionKey KEY = CompletionKey.of("phase3", DATE);
  private static final ReconcileScope SCOPE =
      new ReconcileScope(Set.of("phase3"), DATE.minusDays(2), DATE);
  private static final Instant AT = Instant.parse("2026-02-04T14:00:00Z");

  private static final Finding DRIFT =
      new Finding(
          FindingKind.COUNT_DRIFT,
          KEY,
          Optional.empty(),
          "stored 3, derived 5 of 5",
          Optional.empty());
  private static final Finding NO_DATA =
      new Finding(
          FindingKind.COMPLETION_WITHOUT_DATA,
          KEY,
          Optional.of("team_offense"),
          "completion recorded but no rows in \"analytics\".team_offense",
          Optional.empty());

  @Test
  void jsonCarriesEveryFieldWithNullsForAbsentValuesAndEscapedText() {
    ReconcileReport report =
        new ReconcileReport(
            ReconcileMode.FIX, SCOPE, AT, 3, List.of(DRIFT.fixedBy("count 3 -> 5"), NO_DATA));

    assertThat(report.toJson())
        .isEqualTo(
            "{\"mode\":\"fix\",\"from\":\"2026-02-01\",\"to\":\"2026-02-03\","
                + "\"phases\":[\"phase3\"],\"generated_at\":\"2026-02-04T14:00:00Z\","
                + "\"keys_checked\":3,\"changed\":true,\"findings\":["
                + "{\"kind\":\"count_drift\",\"phase\":\"phase3\",\"date\":\"2026-02-03\","
                + "\"processor\":null,\"detail\":\"stored 3, derived 5 of 5\","
                + "\"fix\":\"count 3 -> 5\"},"
                + "{\"kind\":\"completion_without_data\",\"phase\":\"phase3\","
                + "\"date\":\"2026-02-03\",\"processor\":\"team_offense\","
                + "\"detail\":\"completion recorded but no rows in \\\"analytics\\\".team_offense\","
                + "\"fix\":null}]}");
  }

  @Test
  void tableHasASummaryAndAlignedColumnsAndFlagsWhatNeedsAHuman() {
    ReconcileReport report =
        new ReconcileReport(ReconcileMode.REPORT, SCOPE, AT, 3, List.of(DRIFT, NO_DATA));

    List<String> lines = report.toTable().lines().toList();

    assertThat(lines.get(0))
        .isEqualTo(
            "Reconciliation (report) of phase3 from 2026-02-01 to 2026-02-03: 3 keys checked,"
                + " 2 findings");
    assertThat(lines.get(1)).startsWith("DATE        PHASE   FINDING");
    int detailColumn = lines.get(1).indexOf("DETAIL");
    assertThat(lines.get(2).substring(detailColumn)).startsWith("stored 3, derived 5 of 5");
    assertThat(lines.get(3).substring(detailColumn)).startsWith("completion recorded");
    assertThat(lines.get(2)).endsWith("-");
    assertThat(lines.get(3)).endsWith("needs a human");
    assertThat(report.changed()).isFalse();
    assertThat(report.needsHuman()).containsExactly(NO_DATA);
  }

  @Test
  void tableOfACleanRunSaysSo() {
    ReconcileReport report = new ReconcileReport(ReconcileMode.FIX, SCOPE, AT, 3, List.of());

    assertThat(report.toTable()).endsWith("3 keys checked, 0 findings, 0 fixed\nNo findings.\n");
    assertThat(report.hasFindings()).isFalse();
  }

  @Test
  void lineBreaksInsideCellsCannotBreakTheTable() {
    Finding odd =
        new Finding(FindingKind.COUNT_DRIFT, KEY, Optional.empty(), "two\nlines", Optional.empty());
    ReconcileReport report = new ReconcileReport(ReconcileMode.REPORT, SCOPE, AT, 1, List.of(odd));

    assertThat(report.toTable().lines()).hasSize(3);
  }

  @Test
  void scopeRejectsReversedAndOverlongRanges() {
    assertThatThrownBy(() -> new ReconcileScope(Set.of("phase3"), DATE, DATE.minusDays(1)))
        .hasMessageContaining(DATE.toString());
    assertThatThrownBy(() -> new ReconcileScope(Set.of("phase3"), DATE, DATE.plusDays(400)))
        .hasMessageContaining("366");
    assertThatThrownBy(() -> new ReconcileScope(Set.of(), DATE, DATE))
        .hasMessageContaining("phase");
    assertThat(new ReconcileScope(Set.of("phase3"), DATE, DATE.plusDays(365)).dates()).hasSize(366);
  }

  @Test
  void lastDaysEndsTodayInTheClocksZone() {
    java.time.Clock clock =
        java.time.Clock.fixed(Instant.parse("2026-02-04T03:00:00Z"), java.time.ZoneOffset.UTC);

    ReconcileScope scope = ReconcileScope.lastDays(clock, 3, "phase3", "phase4");

    assertThat(scope.from()).isEqualTo(LocalDate.of(2026, 2, 2));
    assertThat(scope.to()).isEqualTo(LocalDate.of(2026, 2, 4));
    assertThat(scope.phases()).containsExactly("phase3", "phase4");
    assertThatThrownBy(() -> ReconcileScope.lastDays(clock, 0, "phase3")).hasMessageContaining("0");
  }
}
