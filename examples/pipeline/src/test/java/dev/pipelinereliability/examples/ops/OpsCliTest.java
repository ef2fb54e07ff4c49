package dev.pipelinereliability.examples.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.examples.pipeline.PipelineHealth;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionEvidence;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.testkit.health.InMemoryArrivalSource;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsCliTest {
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);
  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private final InMemoryArrivalSource gamebook = new InMemoryArrivalSource("gamebook");
  private final InMemoryDuplicateValidator warehouse = new InMemoryDuplicateValidator();
  private final RecordingTriggerPublisher triggers = new RecordingTriggerPublisher();
  private final InMemoryCompletionTracker tracker =
      new InMemoryCompletionTracker(
          CompletionConfig.of(PhaseConfig.of("phase3", "team_offense", "team_defense")),
          triggers,
          clock);
  private final InMemoryCompletionEvidence landed = new InMemoryCompletionEvidence();

  {
    // Every Phase 3 table exists, empty; a missing table is a check that could not run (exit 2).
    PipelineHealth.PHASE3_KEYS.keySet().forEach(table -> warehouse.putTable(table, List.of()));
  }

  private int run(LockAdmin admin, String... args) {
    OpsBackends backends =
        new OpsBackends() {
          @Override
          public LockAdmin locks() {
            return admin;
          }

          @Override
          public Reconciler reconciler() {
            return Reconciler.builder(tracker)
                .evidence(landed)
                .outputTable("phase3", "team_offense", "team_offense_game_summary")
                .outputTable("phase3", "team_defense", "team_defense_game_summary")
                .clock(clock)
                .actor("ops-cli-test")
                .build();
          }

          @Override
          public HealthCheckRunner health(LocalDate date) {
            return PipelineHealth.forDate(date, gamebook, warehouse, admin, clock);
          }

          @Override
          public Clock clock() {
            return clock;
          }
        };
    return new OpsCli(
            backends,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void locksListShowsEveryLiveLockWithItsOwnerAndToken() {
    LockHandle held =
        locks.tryAcquire(LockKey.of("phase3", "team_offense/2026-02-03")).orElseThrow();

    assertThat(run(locks, "locks", "list")).isEqualTo(OpsCli.OK);

    assertThat(out())
        .contains("phase3/team_offense/2026-02-03")
        .contains(held.ownerId())
        .contains(String.valueOf(held.fencingToken()));
  }

  @Test
  void locksListAbandonedShowsOnlyLocksWhoseHolderLeftThemHeld() {
    LockHandle crashed =
        locks
            .tryAcquire(LockKey.of("phase3", "team_offense/2026-02-03"), LockOptions.ofDefaults())
            .orElseThrow();
    clock.advance(Duration.ofMinutes(11));
    LockHandle live = locks.tryAcquire(LockKey.of("grading", "2026-02-03")).orElseThrow();

    assertThat(run(locks, "locks", "list", "--abandoned")).isEqualTo(OpsCli.OK);

    assertThat(out())
        .contains("phase3/team_offense/2026-02-03")
        .contains(crashed.ownerId())
        .doesNotContain(live.ownerId());
  }

  @Test
  void locksListAsJsonNamesTheFields() {
    locks.tryAcquire(LockKey.of("grading", "2026-02-03")).orElseThrow();

    assertThat(run(locks, "locks", "list", "--json")).isEqualTo(OpsCli.OK);

    assertThat(out()).startsWith("[{\"type\":\"grading\",\"key\":\"2026-02-03\",\"owner\":");
  }

  @Test
  void locksReleaseFreesTheLockAndTheHolderLearnsWhy() {
    LockHandle stuck = locks.tryAcquire(LockKey.of("grading", "2026-02-03")).orElseThrow();

    int code = run(locks, "locks", "release", "grading", "2026-02-03", "--reason", "pod evicted");

    assertThat(code).isEqualTo(OpsCli.OK);
    assertThat(out()).contains("released grading/2026-02-03 (pod evicted)");
    assertThatThrownBy(stuck::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("pod evicted");
    assertThat(locks.tryAcquire(LockKey.of("grading", "2026-02-03"))).isPresent();
  }

  @Test
  void releasingAFreeLockIsReportedAsAnIssue() {
    assertThat(run(locks, "locks", "release", "grading", "2026-02-03", "--reason", "x"))
        .isEqualTo(OpsCli.ISSUES);
    assertThat(out()).contains("was not held");
  }

  @Test
  void reconcileReportsDataThatLandedWithoutACompletionAndFixRepairsIt() {
    clock.set(Instant.parse("2026-02-04T13:00:00Z"));
    tracker.record(CompletionKey.of("phase3", DATE), "team_offense", Completion.ofMessage("m1"));
    landed
        .landed("team_offense_game_summary", DATE, 20)
        .landed("team_defense_game_summary", DATE, 20);

    assertThat(run(locks, "reconcile", "--phase", "phase3", "--days", "3"))
        .isEqualTo(OpsCli.ISSUES);
    assertThat(out()).contains("team_defense");
    assertThat(triggers.published()).isEmpty();

    assertThat(run(locks, "reconcile", "--phase", "phase3", "--days", "3", "--fix"))
        .isEqualTo(OpsCli.OK);
    assertThat(triggers.published()).hasSize(1);

    out.reset();
    assertThat(run(locks, "reconcile", "--phase", "phase3", "--days", "3", "--json"))
        .isEqualTo(OpsCli.OK);
    assertThat(triggers.published()).hasSize(1);
  }

  @Test
  void reconcileRejectsAnUnknownPhaseAndBadDays() {
    assertThat(run(locks, "reconcile", "--phase", "phase9")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("phase9");
    assertThat(run(locks, "reconcile", "--phase", "phase3", "--days", "0")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--days takes a whole number from 1 to");
    assertThat(run(locks, "reconcile")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--phase is required");
  }

  @Test
  void healthExitsZeroOnACleanDate() {
    clock.set(Instant.parse("2026-02-04T13:00:00Z")); // 08:00 in New York
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T10:55:00Z")); // 05:55 New York
    warehouse.putTable("player_game_summary", List.of(row("a"), row("b")));

    assertThat(run(locks, "health", "--date", DATE.toString())).isEqualTo(OpsCli.OK);
    assertThat(out()).contains("freshness:nbac_gamebook_player_stats").contains("OK");
  }

  @Test
  void healthExitsOneWhenTheGamebookArrivedLate() {
    clock.set(Instant.parse("2026-02-04T20:05:00Z")); // 15:05 in New York
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T20:00:15Z")); // 15:00:15, 9 h late

    assertThat(run(locks, "health", "--date", DATE.toString(), "--json")).isEqualTo(OpsCli.ISSUES);
    assertThat(out()).contains("\"FAIL\"").contains("nbac_gamebook_player_stats");
  }

  @Test
  void healthExitsOneForDuplicateKeys() {
    clock.set(Instant.parse("2026-02-04T13:00:00Z"));
    gamebook.recordArrival(DATE, Instant.parse("2026-02-04T10:55:00Z"));
    warehouse.putTable("player_game_summary", List.of(row("a"), row("a")));

    assertThat(run(locks, "health", "--date", DATE.toString())).isEqualTo(OpsCli.ISSUES);
    assertThat(out()).contains("duplicates:player_game_summary");
  }

  @Test
  void healthExitsTwoWhenTheArrivalSourceCannotBeReached() {
    gamebook.makeUnreachable();

    assertThat(run(locks, "health", "--date", DATE.toString())).isEqualTo(OpsCli.COULD_NOT_CHECK);
  }

  @Test
  void healthRejectsABadDate() {
    assertThat(run(locks, "health", "--date", "2026-02-30")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("'2026-02-30'");
  }

  private static Map<String, Object> row(String player) {
    return Map.of("game_id", "g1", "player_lookup", player, "game_date", DATE);
  }

  @Test
  void badArgumentsGetAUsageErrorNamingTheProblem() {
    assertThat(run(locks)).isEqualTo(OpsCli.USAGE);
    assertThat(run(locks, "lokcs")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("unknown command 'lokcs'").contains("usage:");
    assertThat(run(locks, "locks", "release", "grading", "2026-02-03")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--reason is required");
    assertThat(run(locks, "locks", "release", "Grading!", "2026-02-03", "--reason", "x"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("'Grading!'");
    assertThat(run(locks, "locks", "list", "--jsn")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("unknown option --jsn");
  }

  @Test
  void anUnreachableStoreExitsTwo() {
    LockAdmin down =
        new LockAdmin() {
          @Override
          public List<dev.pipelinereliability.lock.LockInfo> listHeld() {
            throw new LockUnavailableException(
                LockKey.of("admin", "list"), "listing", new RuntimeException("UNAVAILABLE"));
          }

          @Override
          public List<dev.pipelinereliability.lock.LockInfo> listAbandoned() {
            return listHeld();
          }

          @Override
          public boolean forceRelease(LockKey key, String reason) {
            throw new AssertionError("not called");
          }
        };

    assertThat(run(down, "locks", "list")).isEqualTo(OpsCli.COULD_NOT_CHECK);
    assertThat(err()).contains("could not check").contains("UNAVAILABLE");
  }
}
