package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.duplicates.DuplicatesCheck;
import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import dev.pipelinereliability.health.locks.LockHoldCheck;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health checks this example pipeline schedules for a game date (what the seed's hand-run
 * {@code phase3_health_check.sh} did, as library calls):
 *
 * <ul>
 *   <li>freshness of the gamebook source: due 06:00 New York time the day after the games, a
 *       warning after one hour, an error after four;
 *   <li>no duplicate business keys in any Phase 3 table's partition for the date;
 *   <li>no Phase 3 or Phase 4 lock held past twice its 10 minute lease, no grading lock past 10
 *       minutes.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PipelineHealth {
  /** The pipeline's time zone. */
  public static final ZoneId ZONE = ZoneId.of("America/New_York");

  /** Each Phase 3 table with its business key. */
  public static final Map<String, List<String>> PHASE3_KEYS =
      Map.of(
          "player_game_summary", List.of("game_id", "player_lookup"),
          "team_offense_game_summary", List.of("game_id", "team_abbr"),
          "team_defense_game_summary", List.of("game_id", "team_abbr"),
          "upcoming_player_game_context", List.of("game_id", "player_lookup"),
          "upcoming_team_game_context", List.of("game_id", "team_abbr"));

  private PipelineHealth() {}

  /** The gamebook source's freshness rule. */
  public static SourceFreshness gamebookFreshness() {
    return SourceFreshness.builder(SourceFeed.GAMEBOOK)
        .expectedAt(LocalTime.of(6, 0), ZONE)
        .daysAfter(1)
        .warnAfter(Duration.ofHours(1))
        .errorAfter(Duration.ofHours(4))
        .build();
  }

  /**
   * Returns the runner of every check for {@code date}.
   *
   * @param date the game date to check
   * @param gamebookArrivals when the gamebook data for a date arrived
   * @param validator the warehouse's duplicate validator
   * @param locks the lock store's admin view
   * @param clock the current time
   */
  public static HealthCheckRunner forDate(
      LocalDate date,
      ArrivalSource gamebookArrivals,
      DuplicateValidator validator,
      LockAdmin locks,
      Clock clock) {
    requireNonNull(date, "date");
    Map<String, Duration> maxHold = new LinkedHashMap<>();
    maxHold.put(Phase3Processor.PHASE, Duration.ofMinutes(20));
    maxHold.put(Phase4Processor.PHASE, Duration.ofMinutes(20));
    maxHold.put(GradingProcessor.PHASE, Duration.ofMinutes(10));
    return HealthCheckRunner.builder()
        .clock(clock)
        .addCheck(new FreshnessCheck(gamebookFreshness(), gamebookArrivals, date, clock))
        .addChecks(
            DuplicatesCheck.forTables(
                validator,
                PHASE3_KEYS.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(
                        e ->
                            DuplicateCheck.of(e.getKey(), e.getValue())
                                .inPartition("game_date", date))
                    .toList()))
        .addChecks(LockHoldCheck.forTypes(locks, maxHold, clock))
        .build();
  }
}
