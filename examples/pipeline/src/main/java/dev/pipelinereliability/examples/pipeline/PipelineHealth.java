package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.examples.config.PipelineFile;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health checks this example pipeline schedules for a game date (what the legacy pipeline's
 * hand-run {@code phase3_health_check.sh} did, as library calls), every value read from the example
 * pipeline's file ({@link PipelineFile#example()}):
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
  /** The example pipeline's file, which every value below comes from. */
  public static final PipelineFile FILE = PipelineFile.example();

  /** The pipeline's time zone (the file's {@code zone}). */
  public static final ZoneId ZONE = FILE.zone();

  /** Each Phase 3 output table with its business key (the file's phase3 tables). */
  public static final Map<String, List<String>> PHASE3_KEYS = phase3Keys();

  private PipelineHealth() {}

  /** The gamebook source's freshness rule (the file's {@code sources} entry). */
  public static SourceFreshness gamebookFreshness() {
    return requireNonNull(FILE.sources().get(SourceFeed.GAMEBOOK), "gamebook source").freshness();
  }

  private static Map<String, List<String>> phase3Keys() {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (String table : FILE.phase(Phase3Processor.PHASE).outputTables().values()) {
      keys.put(table, FILE.table(table).key());
    }
    return Collections.unmodifiableMap(keys);
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
        .addChecks(LockHoldCheck.forTypes(locks, FILE.maxHolds(), clock))
        .build();
  }
}
