package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.duplicates.DuplicatesCheck;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateCheck;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplicatesCheckTest {
  private static final String TABLE = "nba_analytics.player_game_summary";
  private static final LocalDate DATE = LocalDate.parse("2024-11-20");

  private final InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator();

  private static Map<String, Object> row(String player, String game, LocalDate date) {
    return Map.of("player_lookup", player, "game_id", game, "game_date", date);
  }

  private static DuplicateCheck summaryCheck() {
    return DuplicateCheck.of(TABLE, List.of("player_lookup", "game_id"))
        .inPartition("game_date", DATE);
  }

  @Test
  void aCleanPartitionIsOk() {
    validator.putTable(TABLE, List.of(row("lebron", "g1", DATE), row("curry", "g1", DATE)));

    CheckResult result = new DuplicatesCheck(validator, summaryCheck()).run();

    assertThat(result.status()).isEqualTo(HealthStatus.OK);
    assertThat(result.name()).isEqualTo("duplicates:" + TABLE + ":2024-11-20");
    assertThat(result.details()).containsEntry("totalRows", "2").containsEntry("excessRows", "0");
  }

  @Test
  void duplicatedKeysFailWithCountsAndSamples() {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row("lebron", "g1", DATE));
    rows.add(row("lebron", "g1", DATE));
    rows.add(row("lebron", "g1", DATE));
    rows.add(row("curry", "g1", DATE));
    rows.add(row("curry", "g1", DATE));
    rows.add(row("durant", "g1", DATE));
    rows.add(row("durant", "g1", DATE.minusDays(1))); // other partition: not counted
    validator.putTable(TABLE, rows);

    CheckResult result = new DuplicatesCheck(validator, summaryCheck()).run();

    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.message())
        .isEqualTo("3 excess rows: 2 keys occur more than once (6 rows, 3 distinct keys)");
    assertThat(result.details())
        .containsEntry("partition", "game_date=2024-11-20")
        .containsEntry("duplicateKeys", "2")
        .containsEntry("sample1", "[lebron, g1] x3")
        .containsEntry("sample2", "[curry, g1] x2");
  }

  @Test
  void aMissingTableIsAnErrorThatExitsTwo() {
    HealthReport report =
        HealthCheckRunner.builder()
            .addChecks(DuplicatesCheck.forTables(validator, List.of(summaryCheck())))
            .build()
            .run();

    assertThat(report.results().get(0).status()).isEqualTo(HealthStatus.ERROR);
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void checksOfTheSameTableAndPartitionAreRejectedAsDuplicateNames() {
    assertThatThrownBy(
            () -> DuplicatesCheck.forTables(validator, List.of(summaryCheck(), summaryCheck())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWholeTableCheckIsNamedByTheTableOnly() {
    assertThat(new DuplicatesCheck(validator, DuplicateCheck.of(TABLE, List.of("game_id"))).name())
        .isEqualTo("duplicates:" + TABLE);
  }
}
