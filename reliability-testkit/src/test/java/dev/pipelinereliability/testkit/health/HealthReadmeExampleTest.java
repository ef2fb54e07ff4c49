package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.alert.LoggingAlertSink;
import dev.pipelinereliability.health.alert.SuppressingAlertSink;
import dev.pipelinereliability.health.duplicates.DuplicatesCheck;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import dev.pipelinereliability.health.locks.LockHoldCheck;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The root README's health example with in-memory backends and the seed incident's data, so the
 * README stays true: the Slack sink is replaced by a recording sink behind the same suppressor.
 */
class HealthReadmeExampleTest {
  private static final String SUMMARY = "nba_analytics.player_game_summary";
  private static final LocalDate GAME_DATE = LocalDate.parse("2024-11-20");

  /** 08:00 New York time on the morning the 2024-11-20 data is due: the scheduled run. */
  private final FakeClock clock = FakeClock.at(Instant.parse("2024-11-21T13:00:00Z"));

  private final InMemoryArrivalSource arrivals = new InMemoryArrivalSource("odds-api");
  private final InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator();
  private final InMemoryDistributedLock lockAdmin = new InMemoryDistributedLock(clock);
  private final RecordingAlertSink slack = new RecordingAlertSink();

  private HealthReport runReadmeExample(Clock clock) {
    // Data for game date D expected 06:00 New York time on D+1; warn 30 min late, fail 4 h late.
    SourceFreshness oddsApi =
        SourceFreshness.builder("odds-api")
            .expectedAt(LocalTime.of(6, 0), ZoneId.of("America/New_York"))
            .daysAfter(1)
            .warnAfter(Duration.ofMinutes(30))
            .errorAfter(Duration.ofHours(4))
            .build();
    LocalDate date = oddsApi.latestDueDate(clock.instant());

    return HealthCheckRunner.builder()
        .clock(clock)
        .addCheck(new FreshnessCheck(oddsApi, arrivals, date, clock))
        .addChecks(
            DuplicatesCheck.forTables(
                validator,
                List.of(
                    DuplicateCheck.of(SUMMARY, List.of("player_lookup", "game_id"))
                        .inPartition("game_date", date))))
        .addChecks(
            LockHoldCheck.forTypes(lockAdmin, Map.of("phase3", Duration.ofMinutes(30)), clock))
        .addAlertSink(new LoggingAlertSink())
        .addAlertSink(new SuppressingAlertSink(slack, Duration.ofHours(6), clock))
        .build()
        .run();
  }

  /** 10 games x 2 players, optionally with every row of the first {@code doubled} games twice. */
  private void summaryRows(int doubledGames) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int game = 0; game < 10; game++) {
      for (String player : List.of("a", "b")) {
        Map<String, Object> row =
            Map.of("player_lookup", player, "game_id", "g" + game, "game_date", GAME_DATE);
        rows.add(row);
        if (game < doubledGames) {
          rows.add(row);
        }
      }
    }
    validator.putTable(SUMMARY, rows);
  }

  @Test
  void theSeedIncidentIsALateSourceAndDuplicatesAndExitsOne() {
    arrivals.recordArrival(GAME_DATE, Instant.parse("2024-11-21T19:45:00Z")); // 14:45 ET
    clock.set(Instant.parse("2024-11-21T20:00:00Z")); // a run at 15:00 ET, after it arrived
    summaryRows(3);

    HealthReport report = runReadmeExample(clock);

    assertThat(report.results())
        .extracting(CheckResult::name, CheckResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("freshness:odds-api:2024-11-20", HealthStatus.FAIL),
            org.assertj.core.groups.Tuple.tuple(
                "duplicates:" + SUMMARY + ":2024-11-20", HealthStatus.FAIL),
            org.assertj.core.groups.Tuple.tuple("locks:phase3", HealthStatus.OK));
    assertThat(report.exitCode()).isEqualTo(1);
    assertThat(slack.sent()).hasSize(2);
    assertThat(report.toTable()).contains("8h45m late");
  }

  @Test
  void aCleanDateExitsZeroAndAlertsNothing() {
    arrivals.recordArrival(GAME_DATE, Instant.parse("2024-11-21T10:55:00Z")); // 05:55 ET
    summaryRows(0);

    HealthReport report = runReadmeExample(clock);

    assertThat(report.exitCode()).isZero();
    assertThat(slack.sent()).isEmpty();
  }

  @Test
  void anUnreachableArrivalSourceExitsTwo() {
    summaryRows(0);
    arrivals.makeUnreachable();

    HealthReport report = runReadmeExample(clock);

    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.toJson()).contains("\"exitCode\":2");
  }

  @Test
  void theSameFindingAnHourLaterIsNotPostedAgain() {
    arrivals.recordArrival(GAME_DATE, Instant.parse("2024-11-21T19:45:00Z"));
    summaryRows(0);
    SuppressingAlertSink suppressor = new SuppressingAlertSink(slack, Duration.ofHours(6), clock);
    HealthCheckRunner runner =
        HealthCheckRunner.builder()
            .clock(clock)
            .addCheck(
                new FreshnessCheck(
                    SourceFreshness.builder("odds-api")
                        .expectedAt(LocalTime.of(6, 0), ZoneId.of("America/New_York"))
                        .daysAfter(1)
                        .errorAfter(Duration.ofHours(4))
                        .build(),
                    arrivals,
                    GAME_DATE,
                    clock))
            .addAlertSink(suppressor)
            .build();

    runner.run();
    clock.advance(Duration.ofHours(1));
    runner.run();

    assertThat(slack.sent()).hasSize(1);
  }
}
