package dev.pipelinereliability.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.DeadlinePolicy;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineFileTest {
  private static final String VALID =
      """
      project: demo-project
      zone: Europe/Paris
      phases:
        phase3:
          trigger_topic: phase4-trigger
          processors:
            a: {table: t}
            b: {}
          deadline: {after_first_completion: 30m, minimum_processors: 1}
      locks:
        phase3: {max_hold: 20m}
      tables:
        t:
          id: ds.t
          key: [k1, k2]
          partition: d
      sources:
        feed:
          table: raw.feed
          date_column: d
          loaded_at_column: loaded
          expected_at: "06:30"
          warn_after: PT1H
          error_after: 4h
      """;

  @Test
  void theExamplePipelineDescribesTheSeedPhasesAndTheGradingKey() {
    PipelineFile file = PipelineFile.example();

    assertThat(file.phase("phase3").config().expected())
        .containsExactly(
            "player_game_summary",
            "team_offense",
            "team_defense",
            "upcoming_player_context",
            "upcoming_team_context");
    assertThat(file.phases()).containsKeys("phase3", "phase4");
    assertThat(file.table("prediction_accuracy").key())
        .containsExactly("player_lookup", "game_id", "system_id", "line_value");
    assertThat(file.maxHolds()).containsEntry("grading", Duration.ofMinutes(10));
    SourceSpec gamebook = file.sources().get("nbac_gamebook_player_stats");
    assertThat(gamebook).isNotNull();
    assertThat(gamebook.freshness().expectedAt()).isEqualTo(LocalTime.of(6, 0));
  }

  @Test
  void aValidFileReadsEveryField() {
    PipelineFile file = PipelineFile.parse("p.yaml", VALID);

    PhaseSpec phase = file.phase("phase3");
    assertThat(phase.triggerTopic()).isEqualTo("phase4-trigger");
    assertThat(phase.outputTables()).containsExactly(java.util.Map.entry("a", "t"));
    assertThat(phase.config().deadline())
        .hasValue(DeadlinePolicy.afterFirstCompletion(Duration.ofMinutes(30), 1));
    assertThat(file.table("t").qualifiedId("demo-project")).isEqualTo("demo-project.ds.t");
    assertThat(file.table("t").versionColumn()).isEmpty();
    SourceSpec feed = file.sources().get("feed");
    assertThat(feed).isNotNull();
    assertThat(feed.freshness().zone().getId()).isEqualTo("Europe/Paris");
    assertThat(feed.freshness().warnAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(feed.freshness().daysAfter()).isZero();
  }

  private static void assertRejected(String from, String to, int line, String field, String words) {
    String yaml = VALID.replace(from, to);
    assertThat(yaml).as("the edit applies").isNotEqualTo(VALID);
    assertThatThrownBy(() -> PipelineFile.parse("p.yaml", yaml))
        .isInstanceOfSatisfying(
            PipelineFileException.class,
            e -> {
              assertThat(e.file()).isEqualTo("p.yaml");
              assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
              assertThat(e.field()).isEqualTo(field);
            })
        .hasMessageStartingWith("p.yaml:" + line + ": " + field + ": ")
        .hasMessageContaining(words);
  }

  @Test
  void everyErrorNamesTheFileTheLineAndTheField() {
    assertRejected("max_hold: 20m", "max_hold: soon", 11, "locks.phase3.max_hold", "'soon'");
    assertRejected("max_hold: 20m", "max_hld: 20m", 11, "locks.phase3.max_hld", "unknown field");
    assertRejected("{table: t}", "{table: nope}", 7, "phases.phase3.processors.a.table", "'nope'");
    assertRejected("      b: {}", "      a: {}", 8, "phases.phase3.processors.a", "twice");
    assertRejected("Europe/Paris", "Europe/Nowhere", 2, "zone", "'Europe/Nowhere'");
    assertRejected("[k1, k2]", "[k1, k1]", 15, "tables.t.key", "'k1' twice");
    assertRejected("id: ds.t", "id: ds.t.x.y", 14, "tables.t.id", "'ds.t.x.y'");
    assertRejected("warn_after: PT1H", "warn_after: 5h", 24, "sources.feed.error_after", "PT5H");
    assertRejected("\"06:30\"", "\"6 am\"", 22, "sources.feed.expected_at", "'6 am'");
    assertRejected(
        "minimum_processors: 1", "minimum_processors: 3", 9, "phases.phase3.deadline", "3");
    assertRejected("      b: {}", "      B!: {}", 8, "phases.phase3.processors.B!", "'B!'");
    assertRejected(
        "    trigger_topic: phase4-trigger\n", "", 4, "phases.phase3.trigger_topic", "missing");
  }

  @Test
  void aWallClockDeadlineTakesThePipelineZoneUnlessItNamesOne() {
    String at = "{at: \"10:00\", days_after: 1, minimum_processors: 1}";

    PipelineFile file =
        PipelineFile.parse(
            "p.yaml", VALID.replace("{after_first_completion: 30m, minimum_processors: 1}", at));

    assertThat(file.phase("phase3").config().deadline())
        .hasValue(DeadlinePolicy.atLocalTime(LocalTime.of(10, 0), ZoneId.of("Europe/Paris"), 1, 1));
    assertRejected(
        "after_first_completion: 30m,",
        "after_first_completion: 30m, at: \"10:00\",",
        9,
        "phases.phase3.deadline",
        "either after_first_completion or at");
    assertRejected(
        "minimum_processors: 1}",
        "minimum_processors: 1, days_after: 1}",
        9,
        "phases.phase3.deadline.days_after",
        "goes with at");
  }

  @Test
  void aSyntaxErrorNamesItsLine() {
    assertThatThrownBy(() -> PipelineFile.parse("p.yaml", "project: x\nphases: [a\nzone: b\n"))
        .isInstanceOf(PipelineFileException.class)
        .hasMessageStartingWith("p.yaml:3: is not valid YAML");
  }

  @Test
  void anUnknownPhaseOrTableIsNamedWithTheKnownOnes() {
    PipelineFile file = PipelineFile.parse("p.yaml", VALID);

    assertThatThrownBy(() -> file.phase("phase9"))
        .hasMessageContaining("'phase9'")
        .hasMessageContaining("[phase3]");
    assertThatThrownBy(() -> file.table("x")).hasMessageContaining("[t]");
    assertThat(List.of(file.completionConfig().phases().iterator().next().phase()))
        .containsExactly("phase3");
  }
}
