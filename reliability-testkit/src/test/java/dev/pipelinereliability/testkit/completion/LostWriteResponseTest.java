package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A claim whose compare-and-set landed but was reported as a conflict (a client retried a write
 * whose answer was lost) is recognised by its nonce as ours and published by its claimant, not left
 * for the reconciler.
 */
class LostWriteResponseTest {
  private static final PhaseConfig PHASE = PhaseConfig.of("phase3", "a", "b", "c");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE);
  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));

  private final FakeClock clock = FakeClock.create();
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
  private final InMemoryCompletionTracker tracker =
      new InMemoryCompletionTracker(CONFIG, publisher, clock);

  @Test
  void recordWhoseClaimLandedButReportedAConflictStillWinsAndPublishes() {
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    tracker.record(KEY, "b", Completion.ofMessage("b"));
    tracker.store().loseNextWriteResponses(1);

    RecordResult last = tracker.record(KEY, "c", Completion.ofMessage("c"));

    assertThat(last.wonTrigger()).isTrue();
    Trigger won = last.trigger().orElseThrow();
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(won.id());
    assertThat(tracker.state(KEY).trigger().orElseThrow().confirmed()).isTrue();
    // A later delivery neither wins nor publishes again.
    assertThat(tracker.record(KEY, "c", Completion.ofMessage("c")).wonTrigger()).isFalse();
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void completionWhoseWriteReportedAConflictIsStillTheOneRecorded() {
    tracker.store().loseNextWriteResponses(1);

    RecordResult first = tracker.record(KEY, "a", Completion.ofMessage("a"));
    RecordResult again = tracker.record(KEY, "a", Completion.ofMessage("a"));

    assertThat(first.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(again.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(tracker.state(KEY).storedCount()).hasValue(1);
  }

  @Test
  void claimAndConfirmationWhoseWritesBothReportedAConflictPublishOnceAndConfirm() {
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    tracker.record(KEY, "b", Completion.ofMessage("b"));
    tracker.store().loseNextWriteResponses(2);

    RecordResult last = tracker.record(KEY, "c", Completion.ofMessage("c"));

    assertThat(last.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(last.wonTrigger()).isTrue();
    assertThat(last.trigger().orElseThrow().confirmed()).isTrue();
    assertThat(publisher.published()).hasSize(1);
    assertThat(tracker.state(KEY).trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void forcedTriggerWhoseWriteReportedAConflictIsStillPublished() {
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    tracker.store().loseNextWriteResponses(1);

    Optional<Trigger> forced = tracker.forceTrigger(KEY, Audit.by("ops", "must run"));

    assertThat(forced).isPresent();
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(forced.get().id());
  }

  @Test
  void settleWhoseRenewedClaimReportedAConflictStillRepublishesIt() {
    tracker.record(KEY, "a", Completion.ofMessage("a"));
    tracker.record(KEY, "b", Completion.ofMessage("b"));
    publisher.failNext(1);
    try {
      tracker.record(KEY, "c", Completion.ofMessage("c"));
    } catch (RuntimeException expected) {
      // the claim stays unconfirmed
    }
    clock.advance(CONFIG.unconfirmedClaimTimeout().plus(Duration.ofSeconds(1)));
    tracker.store().loseNextWriteResponses(1);

    SettleResult r = tracker.settle(KEY, Audit.by("reconciler", Trigger.REASON_RECONCILE));

    assertThat(r.published()).isPresent();
    assertThat(publisher.published())
        .extracting(Trigger::id)
        .isEqualTo(List.of(r.published().get().id()));
    assertThat(tracker.state(KEY).trigger().orElseThrow().confirmed()).isTrue();
  }
}
