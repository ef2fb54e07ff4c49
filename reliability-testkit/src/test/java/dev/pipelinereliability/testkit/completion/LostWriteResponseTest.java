package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.spi.CompletionStore;
import dev.pipelinereliability.completion.spi.StateChange;
import dev.pipelinereliability.completion.spi.StoreBackedCompletionTracker;
import dev.pipelinereliability.completion.spi.StoredState;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A write that landed but was reported as a conflict (a client retried a write whose answer was
 * lost), or that landed but threw (a call that timed out on the client), is recognised by its write
 * id or nonce as ours: answered {@code RECORDED}, and a claim published by its claimant, not left
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

  /**
   * A store whose next writes fail with an exception after (or instead of) applying, as a Firestore
   * commit that timed out client-side may still have landed.
   */
  private static final class ThrowingStore implements CompletionStore {
    final InMemoryCompletionTracker.Store inner = new InMemoryCompletionTracker.Store();
    final AtomicInteger throwAfterApplying = new AtomicInteger();
    final AtomicInteger throwWithoutApplying = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    /** Run once after the next write applied, which then reports a lost answer. */
    final java.util.concurrent.atomic.AtomicReference<Runnable> loseAnswerAfterRunning =
        new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public StoredState read(CompletionKey key, PhaseConfig phase) {
      reads.incrementAndGet();
      return inner.read(key, phase);
    }

    @Override
    public Optional<Object> writeIfUnchanged(
        CompletionKey key, StoredState expected, StateChange change) {
      if (throwWithoutApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new CompletionStoreException(key, "conditional update got no answer", null);
      }
      Optional<Object> written = inner.writeIfUnchanged(key, expected, change);
      Runnable between = written.isPresent() ? loseAnswerAfterRunning.getAndSet(null) : null;
      if (between != null) {
        between.run();
        return Optional.empty();
      }
      if (written.isPresent() && throwAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new CompletionStoreException(key, "conditional update got no answer", null);
      }
      return written;
    }
  }

  private final ThrowingStore throwing = new ThrowingStore();
  private final CompletionTracker overThrowing =
      StoreBackedCompletionTracker.builder(throwing, CONFIG, publisher).clock(clock).build();

  @Test
  void completionWhoseWriteLandedButThrewIsStillTheOneRecorded() {
    throwing.throwAfterApplying.set(1);

    RecordResult first = overThrowing.record(KEY, "a", Completion.ofMessage("a"));
    RecordResult again = overThrowing.record(KEY, "a", Completion.ofMessage("a"));

    assertThat(first.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(again.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
  }

  @Test
  void claimWhoseWriteLandedButThrewIsPublishedByItsClaimant() {
    overThrowing.record(KEY, "a", Completion.ofMessage("a"));
    overThrowing.record(KEY, "b", Completion.ofMessage("b"));
    throwing.throwAfterApplying.set(1);

    RecordResult last = overThrowing.record(KEY, "c", Completion.ofMessage("c"));

    assertThat(last.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(last.wonTrigger()).isTrue();
    assertThat(publisher.published())
        .extracting(Trigger::id)
        .containsExactly(last.trigger().orElseThrow().id());
    assertThat(overThrowing.state(KEY).trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void writeThatThrewAndDidNotLandThrowsTheStoresExceptionAndLeavesTheKeyUnchanged() {
    throwing.throwWithoutApplying.set(1);

    assertThatThrownBy(() -> overThrowing.record(KEY, "a", Completion.ofMessage("a")))
        .isInstanceOf(CompletionStoreException.class)
        .hasMessageContaining("got no answer");
    assertThat(throwing.reads).as("the read, then one more to see whether it landed").hasValue(2);

    assertThat(overThrowing.state(KEY).completed()).isEmpty();
    assertThat(overThrowing.record(KEY, "a", Completion.ofMessage("a")).outcome())
        .isEqualTo(RecordOutcome.RECORDED);
  }

  @Test
  void completionWhoseAnswerWasLostAndThatANewerTokenReplacedBeforeTheReReadIsAnsweredStale() {
    // The one case without a throw where a stored completion gets no RECORDED answer: the read
    // that would recognise its write id finds the newer run's completion instead.
    CompletionTracker rival =
        StoreBackedCompletionTracker.builder(throwing.inner, CONFIG, publisher)
            .clock(clock)
            .build();
    List<RecordResult> rivals = new java.util.ArrayList<>();
    throwing.loseAnswerAfterRunning.set(
        () -> rivals.add(rival.record(KEY, "a", Completion.withToken(7))));

    RecordResult lost = overThrowing.record(KEY, "a", Completion.withToken(5));

    assertThat(lost.outcome()).isEqualTo(RecordOutcome.STALE);
    assertThat(rivals).extracting(RecordResult::outcome).containsExactly(RecordOutcome.RECORDED);
    assertThat(overThrowing.state(KEY).completion("a").orElseThrow().completion().fencingToken())
        .hasValue(7);
  }
}
