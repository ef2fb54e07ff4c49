package dev.pipelinereliability.examples.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plays the seed incident at 100x on real threads and checks what each run left behind. The naive
 * assertions are deliberately loose (its races are real and vary); the library's are exact.
 */
class IncidentReplayTest {
  private static final long SPEED = 100;
  private final Scenario scenario = Scenario.incident();
  private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

  @Test
  void theLibraryRunLeavesNoDuplicatesAnExactCountAndOneTrigger() {
    Outcome library;
    int healthExit;
    String healthTable;
    try (Backends backends = Backends.inMemory();
        ReplayWorld world = new ReplayWorld(scenario, SPEED, backends::locks)) {
      LibraryRun run = new LibraryRun(scenario, world, backends);
      library = run.play(progress::add);
      HealthReport health = run.health(scenario.gameDate()).run();
      healthExit = health.exitCode();
      healthTable = health.toTable();
    }

    assertThat(library.duplicateRows()).as(timeline(library)).isZero();
    assertThat(library.tables())
        .extracting(TableOutcome::table, TableOutcome::rows)
        .contains(tuple("player_game_summary", 348), tuple("team_offense_game_summary", 20));
    assertThat(library.storedCount()).isEqualTo(library.realCount()).isEqualTo(5);
    assertThat(library.triggers()).isEqualTo(1);
    assertThat(library.lostCompletions()).isZero();
    assertThat(library.skippedByLock()).isEqualTo(5);
    assertThat(library.staleWrite()).isEqualTo("refused (older token)");
    assertThat(progress)
        .anyMatch(line -> line.contains("instance A resumes: stale fence: player_game_summary"));
    assertThat(library.healthFindings())
        .singleElement()
        .asString()
        .startsWith("FAIL")
        .contains("nbac_gamebook_player_stats");
    assertThat(healthExit)
        .as("the health command after the run")
        .isEqualTo(HealthReport.EXIT_ISSUES);
    assertThat(healthTable)
        .contains("FAIL    freshness:nbac_gamebook_player_stats")
        .contains("OK      duplicates:player_game_summary");
    assertThat(IncidentReplay.libraryProblems(library)).as(timeline(library)).isEmpty();
  }

  @Test
  void aLibraryRunThatLostACompletionDeliveryMakesTheReplayExitOne() {
    Outcome lostTwo = cleanLibraryOutcome(2);

    List<String> problems = IncidentReplay.libraryProblems(lostTwo);

    assertThat(problems).containsExactly("2 of 22 completion deliveries lost");
    assertThat(IncidentReplay.exitCode(problems)).isEqualTo(1);
  }

  @Test
  void aCleanLibraryRunMakesTheReplayExitZeroDespiteTheLateDataFinding() {
    List<String> problems = IncidentReplay.libraryProblems(cleanLibraryOutcome(0));

    assertThat(problems).isEmpty();
    assertThat(IncidentReplay.exitCode(problems)).isZero();
  }

  /** A library outcome as the replay leaves it, with {@code lost} completion deliveries lost. */
  private static Outcome cleanLibraryOutcome(int lost) {
    return new Outcome(
        List.of(new TableOutcome("player_game_summary", 348, 348)),
        5,
        5,
        5,
        1,
        22,
        lost,
        5,
        List.of("FAIL freshness:nbac_gamebook_player_stats: 9 h late"),
        LibraryRun.STALE_WRITE_REFUSED);
  }

  @Test
  void theLibraryRunOnTheFirestoreEmulatorGivesTheSameOutcome() {
    Outcome library;
    try (Backends backends = FirestoreBackends.start();
        ReplayWorld world = new ReplayWorld(scenario, SPEED, backends::locks)) {
      library = new LibraryRun(scenario, world, backends).play(progress::add);
    }

    String log = timeline(library);
    assertThat(library.duplicateRows()).as(log).isZero();
    assertThat(library.storedCount()).as(log).isEqualTo(library.realCount()).isEqualTo(5);
    assertThat(library.triggers()).as(log).isEqualTo(1);
    assertThat(library.lostCompletions()).as(log).isZero();
    assertThat(library.skippedByLock()).as(log).isEqualTo(5);
    assertThat(library.staleWrite()).as(log).startsWith("refused");
  }

  @Test
  void theNaiveRunDuplicatesRowsAndDropsCompletions() {
    Outcome naive;
    try (ReplayWorld world = new ReplayWorld(scenario, SPEED, InMemoryDistributedLock::new)) {
      naive = NaiveRun.run(scenario, world, progress::add);
    }

    assertThat(naive.duplicateRows()).isPositive();
    assertThat(naive.lostCompletions()).isPositive();
    assertThat(naive.healthFindings()).isEmpty();
    assertThat(progress).anyMatch(line -> line.contains("fell back to DELETE then INSERT"));
  }

  /**
   * What a failed assertion on the library run prints: rows and keys per table and the run's
   * progress log, so a failure under load shows which instance wrote what, and when.
   */
  private String timeline(Outcome library) {
    List<String> lines = new ArrayList<>();
    library
        .tables()
        .forEach(
            t -> lines.add(t.table() + ": " + t.rows() + " rows / " + t.uniqueKeys() + " keys"));
    synchronized (progress) {
      lines.addAll(progress);
    }
    return "library run\n" + String.join("\n", lines);
  }
}
