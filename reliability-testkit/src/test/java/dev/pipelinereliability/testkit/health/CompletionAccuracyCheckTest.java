package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.completion.CompletionAccuracyCheck;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionEvidence;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The completion check reuses the issue-4 reconciler; these tests pin how it grades findings. */
class CompletionAccuracyCheckTest {
  private static final PhaseConfig PHASE3 =
      PhaseConfig.of(
          "phase3",
          "player_game_summary",
          "team_offense",
          "team_defense",
          "upcoming_player_context",
          "upcoming_team_context");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE3);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-02-04T14:00:00Z"));
  private final LocalDate feb3 = LocalDate.of(2026, 2, 3);
  private final CompletionKey key = CompletionKey.of("phase3", feb3);
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
  private final InMemoryCompletionTracker tracker =
      new InMemoryCompletionTracker(CONFIG, publisher, clock);
  private final InMemoryCompletionEvidence evidence = new InMemoryCompletionEvidence();

  private Reconciler reconciler(CompletionEvidence evidence) {
    Reconciler.Builder b = Reconciler.builder(tracker).clock(clock).evidence(evidence);
    for (String p : PHASE3.expected()) {
      b.outputTable("phase3", p, "nba_analytics." + p);
    }
    return b.build();
  }

  private CheckResult check() {
    return CompletionAccuracyCheck.lastDays(reconciler(evidence), clock, 3, "phase3").run();
  }

  /** The seed incident: all five processor fields present, the stored count stuck at 3. */
  private void seedStuckDocument() {
    Map<String, RecordedCompletion> five = new HashMap<>();
    for (String p : PHASE3.expected()) {
      five.put(
          p, new RecordedCompletion(p, Completion.empty(), clock.instant().minusSeconds(3600)));
      evidence.landed("nba_analytics." + p, feb3, 100);
    }
    tracker
        .store()
        .put(
            new CompletionState(
                key, PHASE3.expected(), five, OptionalInt.of(3), Optional.empty(), 0, List.of()));
  }

  @Test
  void aConsistentTrackerIsOk() {
    for (String p : PHASE3.expected()) {
      evidence.landed("nba_analytics." + p, feb3, 10);
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.OK);
    assertThat(result.name()).isEqualTo("completion:phase3:last3d");
    assertThat(result.details()).containsEntry("keysChecked", "3").containsEntry("findings", "0");
  }

  @Test
  void theSeedIncidentIsAFailureNamingDriftAndTheMissingTriggerAndNothingIsWritten() {
    seedStuckDocument();
    CompletionState before = tracker.store().get(key).orElseThrow();

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.message())
        .isEqualTo("2 findings in 3 keys: 1 count_drift, 1 complete_not_triggered");
    assertThat(result.details())
        .containsEntry("count_drift", "1")
        .containsEntry("finding1", "phase3/2026-02-03 count_drift: stored 3, derived 5 of 5");
    assertThat(tracker.store().get(key)).hasValue(before);
    assertThat(publisher.attempts()).isZero();
  }

  @Test
  void aClaimedButUnpublishedTriggerFailsOnceTheClaimTimedOut() {
    for (String p : PHASE3.expected()) {
      evidence.landed("nba_analytics." + p, feb3, 10);
    }
    publisher.failNext(1);
    for (String p : PHASE3.expected()) {
      try {
        tracker.record(key, p, Completion.ofMessage("m-" + p));
      } catch (TriggerPublishException expected) {
        // the claim stays unconfirmed: what the check must find
      }
    }
    assertThat(check().status()).isEqualTo(HealthStatus.OK);

    clock.advance(CONFIG.unconfirmedClaimTimeout());

    CheckResult result = check();
    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.details()).containsEntry("claimed_not_published", "1");
  }

  @Test
  void aCompletionWithoutDataAloneIsAWarningForAPersonToDecide() {
    for (String p : PHASE3.expected()) {
      if (!p.equals("team_defense")) {
        evidence.landed("nba_analytics." + p, feb3, 10);
      }
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.WARN);
    assertThat(result.details()).containsEntry("completion_without_data", "1");
  }

  @Test
  void aFixedScopeIsNamedByItsDates() {
    ReconcileScope scope = new ReconcileScope(Set.of("phase3"), feb3.minusDays(6), feb3);
    assertThat(CompletionAccuracyCheck.of(reconciler(evidence), scope).name())
        .isEqualTo("completion:phase3:2026-01-28..2026-02-03");
    assertThat(
            CompletionAccuracyCheck.of(
                    reconciler(evidence), new ReconcileScope(Set.of("phase3"), feb3, feb3))
                .name())
        .isEqualTo("completion:phase3:2026-02-03");
  }

  @Test
  void unreadableEvidenceIsAnErrorThatExitsTwo() {
    CompletionEvidence down =
        (tables, from, to) -> {
          throw new CompletionStoreException(key, "evidence query failed", new RuntimeException());
        };

    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(CompletionAccuracyCheck.lastDays(reconciler(down), clock, 3, "phase3"))
            .build()
            .run();

    assertThat(report.results().get(0).status()).isEqualTo(HealthStatus.ERROR);
    assertThat(report.exitCode()).isEqualTo(2);
  }
}
