package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.freshness.ArrivalUnavailableException;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FreshnessCheckTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalDate GAME_DATE = LocalDate.parse("2024-11-20");
  private static final Duration WARN_AFTER = Duration.ofMinutes(30);
  private static final Duration ERROR_AFTER = Duration.ofHours(4);

  /** The seed scraper: data for a game date expected at 06:00 New York time the next morning. */
  private static final SourceFreshness SCRAPER =
      SourceFreshness.builder("odds-api")
          .expectedAt(LocalTime.of(6, 0), NEW_YORK)
          .daysAfter(1)
          .warnAfter(WARN_AFTER)
          .errorAfter(ERROR_AFTER)
          .build();

  /** 2024-11-21 06:00 EST. */
  private static final Instant EXPECTED = Instant.parse("2024-11-21T11:00:00Z");

  private final FakeClock clock = FakeClock.at(EXPECTED.minus(Duration.ofHours(12)));
  private final InMemoryArrivalSource arrivals = new InMemoryArrivalSource("odds-api");

  private CheckResult check() {
    return new FreshnessCheck(SCRAPER, arrivals, GAME_DATE, clock).run();
  }

  @ParameterizedTest(name = "arrived {0}s after the expected time -> {1}")
  @CsvSource({
    "-3600, OK", // an hour early
    "0, OK",
    "1799, OK", // just before warnAfter
    "1800, OK", // at warnAfter: still the milder status, as in dbt
    "1801, WARN", // just after warnAfter
    "14399, WARN", // just before errorAfter
    "14400, WARN", // at errorAfter
    "14401, FAIL", // just after errorAfter
  })
  void arrivedDataIsJudgedByHowLateItArrived(long secondsLate, HealthStatus expected) {
    arrivals.recordArrival(GAME_DATE, EXPECTED.plusSeconds(secondsLate));
    clock.set(EXPECTED.plus(Duration.ofDays(1))); // the clock must not matter once data arrived

    assertThat(check().status()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "nothing arrived {0}s after the expected time -> {1}")
  @CsvSource({
    "-60, OK", // not due yet
    "0, OK",
    "1799, OK",
    "1800, OK",
    "1801, WARN",
    "14399, WARN",
    "14400, WARN",
    "14401, FAIL",
  })
  void missingDataIsJudgedByHowLongItIsOverdue(long secondsAfterExpected, HealthStatus expected) {
    clock.set(EXPECTED.plusSeconds(secondsAfterExpected));

    assertThat(check().status()).isEqualTo(expected);
  }

  @Test
  void theSameCheckMovesFromOkToWarnToFailAsTheFakeClockAdvances() {
    clock.set(EXPECTED);
    FreshnessCheck check = new FreshnessCheck(SCRAPER, arrivals, GAME_DATE, clock);
    assertThat(check.run().status()).isEqualTo(HealthStatus.OK);
    clock.advance(WARN_AFTER.plusNanos(1));
    assertThat(check.run().status()).isEqualTo(HealthStatus.WARN);
    clock.advance(ERROR_AFTER.minus(WARN_AFTER));
    assertThat(check.run().status()).isEqualTo(HealthStatus.FAIL);
  }

  @Test
  void theSeedIncidentScraperAt1445EasternIsAFailureNamingTheLateness() {
    arrivals.recordArrival(GAME_DATE, Instant.parse("2024-11-21T19:45:00Z")); // 14:45 EST
    clock.set(Instant.parse("2024-11-22T13:00:00Z")); // next morning's 08:00 ET health check

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.name()).isEqualTo("freshness:odds-api:2024-11-20");
    assertThat(result.message())
        .isEqualTo(
            "arrived at 14:45, 8h45m late (expected 06:00 America/New_York on 2024-11-21);"
                + " error threshold 4h");
    assertThat(result.details())
        .containsEntry("expected", "2024-11-21T06:00-05:00")
        .containsEntry("arrived", "2024-11-21T19:45:00Z")
        .containsEntry("lateness", "PT8H45M");
  }

  @Test
  void earlyArrivalSaysHowEarly() {
    arrivals.recordArrival(GAME_DATE, EXPECTED.minus(Duration.ofMinutes(12)));
    assertThat(check().message()).startsWith("arrived at 05:48, 12m before 06:00");
  }

  @Test
  void aLaterReloadIsWhatCounts() {
    arrivals.recordArrival(GAME_DATE, EXPECTED.minus(Duration.ofMinutes(5)));
    arrivals.recordArrival(GAME_DATE, EXPECTED.plus(Duration.ofHours(5)));
    assertThat(check().status()).isEqualTo(HealthStatus.FAIL);
  }

  // --- time zones and daylight saving time (America/New_York: EST is -05:00, EDT is -04:00) ---

  private static SourceFreshness sameDay(LocalTime at) {
    return SourceFreshness.builder("dst")
        .expectedAt(at, NEW_YORK)
        .warnAfter(Duration.ofMinutes(15))
        .errorAfter(Duration.ofHours(1))
        .build();
  }

  @Test
  void expectedTimeFollowsTheOffsetChangeOnTheDayClocksSpringForward() {
    SourceFreshness rule = sameDay(LocalTime.of(6, 0));
    // 2026-03-08 is the day New York moves from EST to EDT: 06:00 is 10:00Z, the day before 11:00Z.
    assertThat(rule.expectedArrival(LocalDate.parse("2026-03-07")).toInstant())
        .isEqualTo(Instant.parse("2026-03-07T11:00:00Z"));
    assertThat(rule.expectedArrival(LocalDate.parse("2026-03-08")).toInstant())
        .isEqualTo(Instant.parse("2026-03-08T10:00:00Z"));

    // The same UTC arrival time is 30 minutes early on one side of the change, 30 late on the
    // other.
    InMemoryArrivalSource source = new InMemoryArrivalSource("dst");
    source.recordArrival(LocalDate.parse("2026-03-07"), Instant.parse("2026-03-07T10:30:00Z"));
    source.recordArrival(LocalDate.parse("2026-03-08"), Instant.parse("2026-03-08T10:30:00Z"));
    assertThat(
            new FreshnessCheck(rule, source, LocalDate.parse("2026-03-07"), clock).run().status())
        .isEqualTo(HealthStatus.OK);
    CheckResult springDay =
        new FreshnessCheck(rule, source, LocalDate.parse("2026-03-08"), clock).run();
    assertThat(springDay.status()).isEqualTo(HealthStatus.WARN);
    assertThat(springDay.message()).startsWith("arrived at 06:30, 30m late");
    assertThat(springDay.details()).containsEntry("expected", "2026-03-08T06:00-04:00");
  }

  @Test
  void expectedTimeFollowsTheOffsetChangeOnTheDayClocksFallBack() {
    SourceFreshness rule = sameDay(LocalTime.of(6, 0));
    // 2026-11-01: back to EST, so 06:00 is 11:00Z again.
    assertThat(rule.expectedArrival(LocalDate.parse("2026-10-31")).toInstant())
        .isEqualTo(Instant.parse("2026-10-31T10:00:00Z"));
    assertThat(rule.expectedArrival(LocalDate.parse("2026-11-01")).toInstant())
        .isEqualTo(Instant.parse("2026-11-01T11:00:00Z"));
  }

  @Test
  void aLocalTimeInTheSpringGapMovesForwardAndAnAmbiguousOneTakesTheEarlierInstant() {
    // 02:30 does not exist on 2026-03-08 in New York: it resolves to 03:30 EDT, 07:30Z.
    assertThat(
            sameDay(LocalTime.of(2, 30)).expectedArrival(LocalDate.parse("2026-03-08")).toInstant())
        .isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
    // 01:30 happens twice on 2026-11-01: the first, still EDT, is 05:30Z.
    assertThat(
            sameDay(LocalTime.of(1, 30)).expectedArrival(LocalDate.parse("2026-11-01")).toInstant())
        .isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
  }

  @Test
  void latestDueDateIsTheDateWhoseExpectedTimeHasPassed() {
    // 05:59:59 EST on 2024-11-21: the 2024-11-20 data is not due yet, so 2024-11-19 is the latest.
    assertThat(SCRAPER.latestDueDate(EXPECTED.minusSeconds(1))).isEqualTo(GAME_DATE.minusDays(1));
    assertThat(SCRAPER.latestDueDate(EXPECTED)).isEqualTo(GAME_DATE);
    // Across the spring change the boundary is 10:00Z, not 11:00Z.
    SourceFreshness rule = sameDay(LocalTime.of(6, 0));
    assertThat(rule.latestDueDate(Instant.parse("2026-03-08T10:00:00Z")))
        .isEqualTo(LocalDate.parse("2026-03-08"));
    assertThat(rule.latestDueDate(Instant.parse("2026-03-08T09:59:59Z")))
        .isEqualTo(LocalDate.parse("2026-03-07"));
  }

  @Test
  void latestDueBuildsOneCheckPerSourceForItsLatestDueDate() {
    clock.set(EXPECTED.plusSeconds(1));
    Map<SourceFreshness, dev.pipelinereliability.health.freshness.ArrivalSource> sources =
        new LinkedHashMap<>();
    sources.put(SCRAPER, arrivals);
    sources.put(sameDay(LocalTime.of(23, 0)), new InMemoryArrivalSource("dst"));

    List<FreshnessCheck> checks = FreshnessCheck.latestDue(sources, clock);

    assertThat(checks)
        .extracting(FreshnessCheck::name)
        .containsExactly("freshness:odds-api:2024-11-20", "freshness:dst:2024-11-20");
  }

  // --- an unreachable source ---

  @Test
  void anUnreachableSourcePropagatesFromTheCheck() {
    arrivals.makeUnreachable();
    assertThatThrownBy(this::check).isInstanceOf(ArrivalUnavailableException.class);
  }

  @Test
  void anUnreachableSourceMakesTheReportExitTwoNeverZero() {
    arrivals.recordArrival(GAME_DATE, EXPECTED); // on time, had the source been reachable
    arrivals.makeUnreachable();
    clock.set(EXPECTED.plus(Duration.ofHours(1)));

    HealthReport report =
        HealthCheckRunner.builder()
            .clock(clock)
            .addCheck(new FreshnessCheck(SCRAPER, arrivals, GAME_DATE, clock))
            .build()
            .run();

    assertThat(report.exitCode()).isEqualTo(2);
    CheckResult result = report.results().get(0);
    assertThat(result.status()).isEqualTo(HealthStatus.ERROR);
    assertThat(result.message()).contains("ArrivalUnavailableException", "unreachable");
  }

  @Test
  void aReportOfOneLateAndOneOnTimeSourceExitsOneAndZeroWhenBothAreOnTime() {
    InMemoryArrivalSource onTime = new InMemoryArrivalSource("on-time");
    SourceFreshness onTimeRule =
        new SourceFreshness(
            "on-time",
            SCRAPER.expectedAt(),
            SCRAPER.zone(),
            SCRAPER.daysAfter(),
            SCRAPER.warnAfter(),
            SCRAPER.errorAfter());
    onTime.recordArrival(GAME_DATE, EXPECTED);
    arrivals.recordArrival(GAME_DATE, EXPECTED.plus(Duration.ofHours(9)));
    clock.set(EXPECTED.plus(Duration.ofDays(1)));

    HealthCheckRunner runner =
        HealthCheckRunner.builder()
            .clock(clock)
            .addCheck(new FreshnessCheck(SCRAPER, arrivals, GAME_DATE, clock))
            .addCheck(new FreshnessCheck(onTimeRule, onTime, GAME_DATE, clock))
            .build();
    assertThat(runner.run().exitCode()).isEqualTo(1);

    HealthCheckRunner clean =
        HealthCheckRunner.builder()
            .clock(clock)
            .addCheck(new FreshnessCheck(onTimeRule, onTime, GAME_DATE, clock))
            .build();
    assertThat(clean.run().exitCode()).isEqualTo(0);
  }
}
