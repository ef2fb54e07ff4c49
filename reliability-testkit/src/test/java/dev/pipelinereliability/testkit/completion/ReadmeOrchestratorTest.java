package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The root README's orchestrator pattern, with the in-memory tracker and a list as the topic. */
class ReadmeOrchestratorTest {
  @Test
  void orchestratorPatternTriggersOnceAndTheDailyFixFindsNothingToDo() {
    FakeClock clock = FakeClock.create();
    List<String> phase4Topic = new ArrayList<>();
    CompletionTracker tracker =
        new InMemoryCompletionTracker(
            CompletionConfig.of(
                PhaseConfig.of(
                    "phase3",
                    "player_game_summary",
                    "team_offense",
                    "team_defense",
                    "upcoming_player_context",
                    "upcoming_team_context")),
            trigger -> phase4Topic.add(trigger.id()),
            clock);
    LocalDate gameDate = LocalDate.parse("2024-11-20");
    List<RecordResult> results = new ArrayList<>();

    for (int delivery = 0; delivery < 2; delivery++) {
      for (String processor : tracker.config().phase("phase3").expected()) {
        results.add(
            tracker.record(
                CompletionKey.of("phase3", gameDate),
                processor,
                Completion.builder()
                    .messageId("msg-" + processor)
                    .rowCount(348)
                    .fencingToken(1)
                    .build()));
      }
    }

    assertThat(results.stream().filter(RecordResult::wonTrigger)).hasSize(1);
    assertThat(results.stream().filter(r -> r.outcome() == RecordOutcome.DUPLICATE)).hasSize(5);
    assertThat(phase4Topic).containsExactly("phase3/2024-11-20/1");
    assertThat(
            Reconciler.builder(tracker)
                .clock(clock)
                .build()
                .fix(ReconcileScope.lastDays(clock, 7, "phase3"))
                .hasFindings())
        .isFalse();
  }
}
