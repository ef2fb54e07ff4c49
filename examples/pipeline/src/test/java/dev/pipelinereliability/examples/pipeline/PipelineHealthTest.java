package dev.pipelinereliability.examples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.health.InMemoryArrivalSource;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example pipeline's checks, read from its pipeline file, on the testkit's fakes. */
class PipelineHealthTest {
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);
  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
  private final InMemoryArrivalSource gamebook = new InMemoryArrivalSource("gamebook");
  private final InMemoryDuplicateValidator warehouse = new InMemoryDuplicateValidator();

  {
    // Every Phase 3 table exists, empty; a missing table is a check that could not run (exit 2).
    PipelineHealth.PHASE3_KEYS.keySet().forEach(table -> warehouse.putTable(table, List.of()));
  }

  private HealthReport run() {
    return PipelineHealth.forDate(DATE, gamebook, warehouse, locks, clock).run();
  }

  private static Map<String, Object> row(String player) {
    return Map.of("game_id", "g1", "player_lookup", player, "game_date", DATE);
  }

  @Test
  void theChecksComeFromThePipelineFile() {
    assertThat(PipelineHealth.PHASE3_KEYS)
        .containsEntry("player_game_summary", List.of("game_id", "player_lookup"))
        .containsEntry("team_offense_game_summary", List.of("game_id", "team_abbr"))
        .hasSize(5);
    assertThat(PipelineHealth.gamebookFreshness().errorAfter()).isEqualTo(Duration.ofHours(4));
    assertThat(PipelineHealth.ZONE.getId()).isEqualTo("America/New_York");
  }

  @Test
  void aCleanDateExitsZero() {
    clock.set(Instant.parse("2026-02-04T13:00:00Z")); // 08:00 in New York
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T10:55:00Z")); // 05:55 New York
    warehouse.putTable("player_game_summary", List.of(row("a"), row("b")));

    HealthReport report = run();

    assertThat(report.exitCode()).as(report.toTable()).isEqualTo(HealthReport.EXIT_OK);
    assertThat(report.toTable()).contains("freshness:nbac_gamebook_player_stats");
  }

  @Test
  void theGamebookArrivingLateExitsOne() {
    clock.set(Instant.parse("2026-02-04T20:05:00Z")); // 15:05 in New York
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T20:00:15Z")); // 15:00:15, 9 h late

    HealthReport report = run();

    assertThat(report.exitCode()).isEqualTo(HealthReport.EXIT_ISSUES);
    assertThat(report.toJson()).contains("\"FAIL\"").contains("nbac_gamebook_player_stats");
  }

  @Test
  void duplicateKeysExitOne() {
    clock.set(Instant.parse("2026-02-04T13:00:00Z"));
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T10:55:00Z"));
    warehouse.putTable("player_game_summary", List.of(row("a"), row("a")));

    HealthReport report = run();

    assertThat(report.exitCode()).isEqualTo(HealthReport.EXIT_ISSUES);
    assertThat(report.toTable()).contains("duplicates:player_game_summary");
  }

  @Test
  void anUnreachableArrivalSourceExitsTwo() {
    gamebook.makeUnreachable();

    assertThat(run().exitCode()).isEqualTo(HealthReport.EXIT_ERROR);
  }
}
