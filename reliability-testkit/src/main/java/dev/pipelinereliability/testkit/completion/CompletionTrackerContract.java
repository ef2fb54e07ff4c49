package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CompletionTracker} promises. A backend's test extends this class and
 * supplies {@link #newTracker}; the in-memory tracker and the Firestore tracker run the same
 * scenarios, so a fake that drifts from the backend fails here.
 *
 * <p>Each test uses a date of its own, so a store need not be emptied between tests. Time is a
 * {@link FakeClock} the contract owns and passes to every tracker; backends take all decisions by
 * that clock (deadlines, unconfirmed-claim timeouts), so nothing here sleeps.
 */
public abstract class CompletionTrackerContract {
  /** The phase most scenarios use: five processors, like the legacy pipeline's Phase 3. */
  protected static final PhaseConfig PHASE3 =
      PhaseConfig.of(
          "phase3",
          "player_game_summary",
          "team_offense",
          "team_defense",
          "upcoming_player_context",
          "upcoming_team_context");

  /** Ten processors, for the concurrency scenario. */
  protected static final PhaseConfig PHASE4 =
      PhaseConfig.of("phase4", "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9");

  /** Five processors; after 2 hours the trigger fires with at least 3 of them. */
  protected static final PhaseConfig DEADLINED =
      PhaseConfig.of("deadlined", "a", "b", "c", "d", "e")
          .withDeadline(DeadlinePolicy.afterFirstCompletion(Duration.ofHours(2), 3));

  /** Five processors; at 10:00 New York on the day after the date, trigger with at least 3. */
  protected static final PhaseConfig WALL_CLOCK =
      PhaseConfig.of("wallclock", "a", "b", "c", "d", "e")
          .withDeadline(
              DeadlinePolicy.atLocalTime(LocalTime.of(10, 0), ZoneId.of("America/New_York"), 1, 3));

  /** The configuration every tracker in the contract gets. */
  protected static final CompletionConfig CONFIG =
      CompletionConfig.builder()
          .phase(PHASE3)
          .phase(PHASE4)
          .phase(DEADLINED)
          .phase(WALL_CLOCK)
          .unconfirmedClaimTimeout(Duration.ofMinutes(5))
          .build();

  private static final AtomicInteger DATES = new AtomicInteger();
  private static final int RUN = new Random().nextInt(50_000);

  /** The contract's clock; pass it to every tracker. */
  protected final FakeClock clock = FakeClock.create();

  /** The publisher of {@link #tracker()}. */
  protected final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();

  private LocalDate date;
  private CompletionTracker tracker;

  /**
   * Returns a tracker over the store under test, standing for one more orchestrator instance. All
   * trackers made during one test share one store.
   *
   * @param config the phases to track
   * @param publisher the publisher of won triggers
   * @param clock the clock to take every time from
   * @return a tracker over the store under test, standing for one more orchestrator instance
   */
  protected abstract CompletionTracker newTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock);

  @BeforeEach
  void newDateAndTracker() {
    // A date of its own per test and run, so tests never see each other's documents.
    date = LocalDate.of(2000, 1, 1).plusDays(RUN + DATES.incrementAndGet() * 7L);
    tracker = newTracker(CONFIG, publisher, clock);
  }

  /**
   * The tracker of the current test, publishing to {@link #publisher}.
   *
   * @return the tracker of the current test, publishing to {@link #publisher}
   */
  protected final CompletionTracker tracker() {
    return tracker;
  }

  /**
   * The date of the current test.
   *
   * @return the date of the current test
   */
  protected final LocalDate date() {
    return date;
  }

  private CompletionKey key(PhaseConfig phase) {
    return CompletionKey.of(phase.phase(), date);
  }

  private static Audit ops(String why) {
    return Audit.by("ops@example.com", why);
  }

  @Test
  void sameMessageDeliveredFiveTimesIsRecordedOnce() {
    CompletionKey key = key(PHASE3);
    Completion c = Completion.builder().messageId("msg-1").rowCount(348).build();
    List<RecordOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      outcomes.add(tracker.record(key, "player_game_summary", c).outcome());
    }

    assertThat(outcomes)
        .containsExactly(
            RecordOutcome.RECORDED,
            RecordOutcome.DUPLICATE,
            RecordOutcome.DUPLICATE,
            RecordOutcome.DUPLICATE,
            RecordOutcome.DUPLICATE);
    CompletionState s = tracker.state(key);
    assertThat(s.completed()).containsExactly("player_game_summary");
    assertThat(s.completedCount()).isEqualTo(1);
    assertThat(s.storedCount()).hasValue(1);
    assertThat(s.completion("player_game_summary").orElseThrow().completion()).isEqualTo(c);
    assertThat(s.triggered()).isFalse();
    assertThat(publisher.published()).isEmpty();
  }

  @Test
  void resultReportsDerivedCountAndMissingAfterEachCompletion() {
    CompletionKey key = key(PHASE3);
    RecordResult first = tracker.record(key, "team_defense", Completion.ofMessage("m1"));
    RecordResult second = tracker.record(key, "player_game_summary", Completion.ofMessage("m2"));

    assertThat(first.completedCount()).isEqualTo(1);
    assertThat(first.missing()).hasSize(4).doesNotContain("team_defense");
    assertThat(second.completed()).containsExactly("player_game_summary", "team_defense");
    assertThat(second.missing())
        .containsExactly("team_offense", "upcoming_player_context", "upcoming_team_context");
    assertThat(second.wonTrigger()).isFalse();
    assertThat(second.state().storedCount()).hasValue(2);
  }

  @Test
  void outOfOrderDeliveriesWithDuplicatesTriggerOnceWhenTheLastArrives() {
    CompletionKey key = key(PHASE3);
    List<String> order = new ArrayList<>(PHASE3.expected());
    Collections.reverse(order);
    List<String> deliveries = new ArrayList<>();
    for (String p : order) {
      deliveries.add(p);
      deliveries.add(order.get(0)); // a redelivery of the first processor between every other
    }

    List<RecordResult> results = new ArrayList<>();
    for (String p : deliveries) {
      results.add(tracker.record(key, p, Completion.ofMessage("msg-" + p)));
    }

    List<RecordResult> winners = results.stream().filter(RecordResult::wonTrigger).toList();
    assertThat(winners).extracting(RecordResult::processor).hasSize(1);
    assertThat(winners.get(0).processor()).isEqualTo(order.get(order.size() - 1));
    assertThat(results.stream().filter(r -> r.outcome() == RecordOutcome.RECORDED)).hasSize(5);
    Trigger trigger = winners.get(0).trigger().orElseThrow();
    assertThat(trigger.reason()).isEqualTo(Trigger.REASON_ALL_COMPLETE);
    assertThat(trigger.missing()).isEmpty();
    assertThat(trigger.confirmed()).isTrue();
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(trigger.id());
    CompletionState s = tracker.state(key);
    assertThat(s.storedCount()).hasValue(5);
    assertThat(s.trigger().orElseThrow().id()).isEqualTo(trigger.id());
    assertThat(s.trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void concurrentDuplicateDeliveriesFromEightThreadsYieldExactlyOneTriggerWinner()
      throws Exception {
    CompletionKey key = key(PHASE4);
    List<String> deliveries = new ArrayList<>();
    for (String p : PHASE4.expected()) {
      for (int i = 0; i < 8; i++) {
        deliveries.add(p);
      }
    }
    Collections.shuffle(deliveries, new Random(42));
    List<CompletionTracker> instances = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      instances.add(newTracker(CONFIG, publisher, clock));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RecordResult>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < deliveries.size(); i++) {
        String p = deliveries.get(i);
        CompletionTracker instance = instances.get(i % instances.size());
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return instance.record(key, p, Completion.ofMessage("msg-" + p));
                }));
      }
      start.countDown();
      List<RecordResult> results = new ArrayList<>();
      for (Future<RecordResult> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(results.stream().filter(RecordResult::wonTrigger).map(RecordResult::processor))
          .as("processors whose delivery won the trigger")
          .hasSize(1);
      assertThat(results)
          .allSatisfy(
              r -> assertThat(r.outcome()).isIn(RecordOutcome.RECORDED, RecordOutcome.DUPLICATE));
      assertThat(
              results.stream()
                  .filter(r -> r.outcome() == RecordOutcome.RECORDED)
                  .map(RecordResult::processor))
          .as("processors answered RECORDED")
          .containsExactlyInAnyOrderElementsOf(PHASE4.expected());
    } finally {
      pool.shutdownNow();
    }
    assertThat(publisher.published()).hasSize(1);
    CompletionState s = tracker.state(key);
    assertThat(s.completed()).isEqualTo(Set.copyOf(PHASE4.expected()));
    assertThat(s.storedCount()).hasValue(10);
    assertThat(s.trigger().orElseThrow().confirmed()).isTrue();
    assertThat(s.trigger().orElseThrow().id()).isEqualTo(publisher.published().get(0).id());
  }

  @Test
  void tokenlessAndFencedDuplicatesFromEightThreadsAreRecordedOncePerProcessorAndToken()
      throws Exception {
    // Per processor: 8 deliveries without a token, 6 with token 5, 6 with token 7; shuffled.
    CompletionKey key = key(PHASE3);
    List<String> processors = new ArrayList<>();
    List<Completion> completions = new ArrayList<>();
    for (String p : PHASE3.expected()) {
      for (int i = 0; i < 20; i++) {
        processors.add(p);
        completions.add(
            i < 8
                ? Completion.ofMessage("msg-" + p)
                : Completion.builder()
                    .messageId("msg-" + p + "-" + (i < 14 ? 5 : 7))
                    .fencingToken(i < 14 ? 5 : 7)
                    .build());
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < processors.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(RUN));
    List<CompletionTracker> instances = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      instances.add(newTracker(CONFIG, publisher, clock));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RecordResult>> futures = new ArrayList<>();
    List<Completion> sent = new ArrayList<>();
    try {
      for (int n = 0; n < order.size(); n++) {
        int i = order.get(n);
        CompletionTracker instance = instances.get(n % instances.size());
        sent.add(completions.get(i));
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return instance.record(key, processors.get(i), completions.get(i));
                }));
      }
      start.countDown();
      java.util.Map<String, Integer> recorded = new java.util.TreeMap<>();
      for (int n = 0; n < futures.size(); n++) {
        RecordResult r = futures.get(n).get(60, TimeUnit.SECONDS);
        Completion c = sent.get(n);
        String token =
            c.fencingToken().isPresent() ? String.valueOf(c.fencingToken().getAsLong()) : "none";
        if (r.outcome() == RecordOutcome.STALE) {
          assertThat(c.fencingToken())
              .as("a completion without a token is never stale")
              .isPresent();
        } else {
          assertThat(r.outcome()).isIn(RecordOutcome.RECORDED, RecordOutcome.DUPLICATE);
        }
        if (r.outcome() == RecordOutcome.RECORDED) {
          recorded.merge(r.processor() + "@" + token, 1, Integer::sum);
        }
      }

      assertThat(recorded)
          .as("RECORDED answers per processor@token")
          .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
      for (String p : PHASE3.expected()) {
        // The newest token wins everywhere, whatever arrived first: it was recorded exactly once.
        assertThat(recorded).containsEntry(p + "@7", 1);
      }
    } finally {
      pool.shutdownNow();
    }
    CompletionState s = tracker.state(key);
    for (String p : PHASE3.expected()) {
      assertThat(s.completion(p).orElseThrow().completion().fencingToken())
          .as("stored token of " + p)
          .hasValue(7);
    }
    assertThat(s.storedCount()).hasValue(5);
    assertThat(publisher.published()).hasSize(1);
    assertThat(s.trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void tokenlessCompletionArrivingAfterAFencedOneIsADuplicateAndKeepsTheToken() {
    CompletionKey key = key(PHASE3);
    Completion fenced = Completion.builder().fencingToken(4).messageId("run-4").build();
    tracker.record(key, "team_offense", fenced);

    RecordResult tokenless = tracker.record(key, "team_offense", Completion.ofMessage("retry"));

    assertThat(tokenless.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(tracker.state(key).completion("team_offense").orElseThrow().completion())
        .isEqualTo(fenced);
  }

  @Test
  void unexpectedProcessorIsAnsweredUnexpectedAndChangesNothing() {
    CompletionKey key = key(PHASE3);
    tracker.record(key, "team_offense", Completion.ofMessage("m1"));
    CompletionState before = tracker.state(key);

    RecordResult r = tracker.record(key, "not_a_phase3_processor", Completion.ofMessage("m2"));

    assertThat(r.outcome()).isEqualTo(RecordOutcome.UNEXPECTED);
    assertThat(r.completedCount()).isEqualTo(1);
    assertThat(r.wonTrigger()).isFalse();
    CompletionState after = tracker.state(key);
    assertThat(after).isEqualTo(before);
    assertThat(after.completions()).doesNotContainKey("not_a_phase3_processor");
  }

  @Test
  void invalidProcessorNameOrUnknownPhaseFailsBeforeAnythingIsWritten() {
    CompletionKey key = key(PHASE3);
    assertThatThrownBy(() -> tracker.record(key, "_completed_count", Completion.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("_completed_count");
    CompletionKey unknown = CompletionKey.of("phase9", date);
    assertThatThrownBy(() -> tracker.record(unknown, "x", Completion.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("phase9");
    assertThat(tracker.state(key).completions()).isEmpty();
    assertThat(tracker.state(key).storedCount()).isEmpty();
  }

  @Test
  void completionWithOlderFencingTokenIsRejectedAsStale() {
    CompletionKey key = key(PHASE3);
    Completion run7 = Completion.builder().fencingToken(7).messageId("run-7").build();
    assertThat(tracker.record(key, "team_offense", run7).outcome())
        .isEqualTo(RecordOutcome.RECORDED);

    RecordResult stale =
        tracker.record(
            key, "team_offense", Completion.builder().fencingToken(5).messageId("run-5").build());

    assertThat(stale.outcome()).isEqualTo(RecordOutcome.STALE);
    assertThat(tracker.state(key).completion("team_offense").orElseThrow().completion())
        .isEqualTo(run7);
  }

  @Test
  void completionWithNewerFencingTokenReplacesTheRecordedOneWithoutChangingTheCount() {
    CompletionKey key = key(PHASE3);
    tracker.record(key, "team_offense", Completion.withToken(7));
    Completion run9 = Completion.builder().fencingToken(9).rowCount(20).build();

    RecordResult newer = tracker.record(key, "team_offense", run9);
    RecordResult sameToken = tracker.record(key, "team_offense", Completion.withToken(9));
    RecordResult older = tracker.record(key, "team_offense", Completion.withToken(8));

    assertThat(newer.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(sameToken.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(older.outcome()).isEqualTo(RecordOutcome.STALE);
    CompletionState s = tracker.state(key);
    assertThat(s.completion("team_offense").orElseThrow().completion()).isEqualTo(run9);
    assertThat(s.completedCount()).isEqualTo(1);
    assertThat(s.storedCount()).hasValue(1);
  }

  @Test
  void crashBetweenClaimAndPublishIsRepublishedOnceWithTheSameTriggerId() {
    CompletionKey key = key(PHASE3);
    List<String> processors = new ArrayList<>(PHASE3.expected());
    for (String p : processors.subList(0, 4)) {
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }
    publisher.failNext(1);

    TriggerPublishException crash =
        org.junit.jupiter.api.Assertions.assertThrows(
            TriggerPublishException.class,
            () -> tracker.record(key, processors.get(4), Completion.ofMessage("m-last")));
    String claimedId = crash.trigger().id();

    CompletionState claimed = tracker.state(key);
    assertThat(claimed.allComplete()).isTrue();
    assertThat(claimed.trigger().orElseThrow().id()).isEqualTo(claimedId);
    assertThat(claimed.trigger().orElseThrow().confirmed()).isFalse();
    // Redeliveries and another instance before the timeout neither claim nor publish again.
    CompletionTracker other = newTracker(CONFIG, publisher, clock);
    RecordResult redelivered = other.record(key, processors.get(4), Completion.ofMessage("m-last"));
    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.wonTrigger()).isFalse();
    assertThat(other.settle(key, Audit.by("reconciler", "reconcile")).changed()).isFalse();
    assertThat(publisher.published()).isEmpty();

    clock.advance(CONFIG.unconfirmedClaimTimeout().plusSeconds(1));
    SettleResult repaired = other.settle(key, Audit.by("reconciler", Trigger.REASON_RECONCILE));
    SettleResult again = other.settle(key, Audit.by("reconciler", Trigger.REASON_RECONCILE));

    assertThat(repaired.published().orElseThrow().id()).isEqualTo(claimedId);
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(claimedId);
    assertThat(tracker.state(key).trigger().orElseThrow().confirmed()).isTrue();
    assertThat(again.changed()).isFalse();
    assertThat(again.published()).isEmpty();
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void duplicateDeliveryAfterTheClaimTimeoutNeverWinsAFailedClaimOnlySettleRepublishesIt() {
    CompletionKey key = key(PHASE3);
    List<String> processors = new ArrayList<>(PHASE3.expected());
    for (String p : processors.subList(0, 4)) {
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }
    publisher.failNext(1);
    String claimedId =
        org.junit.jupiter.api.Assertions.assertThrows(
                TriggerPublishException.class,
                () -> tracker.record(key, processors.get(4), Completion.ofMessage("m-last")))
            .trigger()
            .id();
    clock.advance(CONFIG.unconfirmedClaimTimeout().plusMinutes(1));

    CompletionTracker other = newTracker(CONFIG, publisher, clock);
    RecordResult redelivered = other.record(key, processors.get(4), Completion.ofMessage("m-last"));
    RecordResult earlier = other.record(key, processors.get(0), Completion.ofMessage("m-again"));

    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.wonTrigger()).isFalse();
    assertThat(earlier.wonTrigger()).isFalse();
    assertThat(publisher.published()).as("published by deliveries").isEmpty();
    Trigger stillClaimed = tracker.state(key).trigger().orElseThrow();
    assertThat(stillClaimed.id()).isEqualTo(claimedId);
    assertThat(stillClaimed.confirmed()).isFalse();

    SettleResult repaired = other.settle(key, Audit.by("reconciler", Trigger.REASON_RECONCILE));

    assertThat(repaired.published().map(Trigger::id)).hasValue(claimedId);
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(claimedId);
    assertThat(tracker.state(key).trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void stalledPublisherPastTheClaimTimeoutKeepsItsSoleWinAndSettleRepublishesTheSameId()
      throws Exception {
    CompletionKey key = key(PHASE3);
    List<String> processors = new ArrayList<>(PHASE3.expected());
    for (String p : processors.subList(0, 4)) {
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }
    CountDownLatch publishing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger stalls = new AtomicInteger();
    TriggerPublisher stalling =
        t -> {
          if (stalls.getAndIncrement() == 0) {
            publishing.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("test never released the stalled publish");
            }
          }
          publisher.publish(t);
        };
    CompletionTracker slow = newTracker(CONFIG, stalling, clock);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<RecordResult> claimant =
          pool.submit(() -> slow.record(key, processors.get(4), Completion.ofMessage("m-last")));
      assertThat(publishing.await(60, TimeUnit.SECONDS)).as("claimant reached publish").isTrue();
      String claimedId = tracker.state(key).trigger().orElseThrow().id();
      clock.advance(CONFIG.unconfirmedClaimTimeout().plusMinutes(1));

      CompletionTracker other = newTracker(CONFIG, publisher, clock);
      RecordResult duplicate = other.record(key, processors.get(4), Completion.ofMessage("m-last"));
      assertThat(duplicate.wonTrigger()).as("a duplicate delivery won the trigger").isFalse();
      assertThat(publisher.published()).isEmpty();

      SettleResult repaired = other.settle(key, Audit.by("reconciler", Trigger.REASON_RECONCILE));
      assertThat(repaired.published().map(Trigger::id)).hasValue(claimedId);
      release.countDown();
      RecordResult won = claimant.get(60, TimeUnit.SECONDS);

      assertThat(won.wonTrigger()).isTrue();
      assertThat(won.trigger().orElseThrow().id()).isEqualTo(claimedId);
      // Published twice under one id: downstream de-duplicates by trigger id.
      assertThat(publisher.published())
          .extracting(Trigger::id)
          .containsExactly(claimedId, claimedId);
      Trigger stored = tracker.state(key).trigger().orElseThrow();
      assertThat(stored.id()).isEqualTo(claimedId);
      assertThat(stored.confirmed()).isTrue();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void storedClaimReadsBackWithTheClaimantsNonce() {
    CompletionKey key = key(PHASE3);
    Trigger won = null;
    for (String p : PHASE3.expected()) {
      RecordResult r = tracker.record(key, p, Completion.ofMessage("m-" + p));
      if (r.wonTrigger()) {
        won = r.trigger().orElseThrow();
      }
    }

    // A claimant recognises a claim whose write reported a conflict by this nonce.
    assertThat(won).isNotNull();
    assertThat(won.claimNonce()).isNotEmpty();
    assertThat(tracker.state(key).trigger().orElseThrow().sameClaimAs(won)).isTrue();
  }

  @Test
  void deadlineTriggersWithTheMinimumAndRecordsWhoWasMissing() {
    CompletionKey key = key(DEADLINED);
    tracker.record(key, "a", Completion.ofMessage("a"));
    clock.advance(Duration.ofMinutes(30));
    tracker.record(key, "b", Completion.ofMessage("b"));
    clock.advance(Duration.ofHours(2));
    // Past the deadline but below the minimum of 3: keep waiting.
    assertThat(tracker.settle(key, ops("deadline check")).published()).isEmpty();

    RecordResult third = tracker.record(key, "c", Completion.ofMessage("c"));

    assertThat(third.wonTrigger()).isTrue();
    Trigger t = third.trigger().orElseThrow();
    assertThat(t.reason()).isEqualTo(Trigger.REASON_DEADLINE);
    assertThat(t.missing()).containsExactly("d", "e");
    assertThat(t.note()).contains("PT2H").contains("[d, e]");
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(t.id());
    // Late arrivals complete the set but never trigger a second time.
    assertThat(tracker.record(key, "d", Completion.ofMessage("d")).wonTrigger()).isFalse();
    assertThat(tracker.record(key, "e", Completion.ofMessage("e")).wonTrigger()).isFalse();
    assertThat(publisher.published()).hasSize(1);
    assertThat(tracker.state(key).storedCount()).hasValue(5);
  }

  @Test
  void beforeTheDeadlineTheMinimumDoesNotTrigger() {
    CompletionKey key = key(DEADLINED);
    tracker.record(key, "a", Completion.ofMessage("a"));
    tracker.record(key, "b", Completion.ofMessage("b"));
    clock.advance(Duration.ofHours(2).minusSeconds(1));
    RecordResult third = tracker.record(key, "c", Completion.ofMessage("c"));

    assertThat(third.wonTrigger()).isFalse();
    assertThat(tracker.state(key).triggered()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    SettleResult settled = tracker.settle(key, Audit.by("scheduler", Trigger.REASON_DEADLINE));
    assertThat(settled.published().orElseThrow().missing()).containsExactly("d", "e");
  }

  @Test
  void wallClockDeadlineFiresFromAScheduledSettleWhenNoCompletionArrives() {
    CompletionKey key = key(WALL_CLOCK);
    Instant deadline = newYorkTenOClockTheDayAfter(date);
    clock.set(deadline.minus(Duration.ofHours(20)));
    for (String p : List.of("a", "b", "c")) {
      assertThat(tracker.record(key, p, Completion.ofMessage(p)).wonTrigger()).isFalse();
    }
    Audit scheduler = Audit.by("scheduler", Trigger.REASON_DEADLINE);
    clock.set(deadline.minusSeconds(1));
    assertThat(tracker.settle(key, scheduler).changed()).as("settle before the deadline").isFalse();

    clock.set(deadline);
    SettleResult fired = tracker.settle(key, scheduler);

    Trigger t = fired.published().orElseThrow();
    assertThat(t.reason()).isEqualTo(Trigger.REASON_DEADLINE);
    assertThat(t.missing()).containsExactly("d", "e");
    assertThat(t.note()).contains("10:00 America/New_York").contains(deadline.toString());
    assertThat(tracker.state(key).trigger().orElseThrow().missing()).containsExactly("d", "e");
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(t.id());
    // The next scheduled run, and a late completion, change nothing more.
    clock.advance(Duration.ofMinutes(15));
    assertThat(tracker.settle(key, scheduler).changed()).isFalse();
    assertThat(tracker.record(key, "d", Completion.ofMessage("d")).wonTrigger()).isFalse();
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void wallClockDeadlineWaitsForTheMinimumThenTheCompletionThatReachesItTriggers() {
    CompletionKey key = key(WALL_CLOCK);
    Instant deadline = newYorkTenOClockTheDayAfter(date);
    clock.set(deadline.minus(Duration.ofHours(3)));
    tracker.record(key, "a", Completion.ofMessage("a"));
    tracker.record(key, "b", Completion.ofMessage("b"));
    clock.set(deadline.plus(Duration.ofHours(1)));
    assertThat(tracker.settle(key, ops("deadline check")).published())
        .as("2 of 5 is below the minimum of 3")
        .isEmpty();

    RecordResult third = tracker.record(key, "c", Completion.ofMessage("c"));

    assertThat(third.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(third.trigger().orElseThrow().reason()).isEqualTo(Trigger.REASON_DEADLINE);
    assertThat(third.trigger().orElseThrow().missing()).containsExactly("d", "e");
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void duplicateDeliveryAfterAWallClockDeadlineTriggers() {
    CompletionKey key = key(WALL_CLOCK);
    Instant deadline = newYorkTenOClockTheDayAfter(date);
    clock.set(deadline.minus(Duration.ofHours(3)));
    for (String p : List.of("a", "b", "c")) {
      tracker.record(key, p, Completion.ofMessage(p));
    }
    clock.set(deadline.plusSeconds(30));

    RecordResult redelivered = tracker.record(key, "a", Completion.ofMessage("a"));

    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.trigger().orElseThrow().missing()).containsExactly("d", "e");
    assertThat(publisher.published()).hasSize(1);
    assertThat(tracker.state(key).trigger().orElseThrow().confirmed()).isTrue();
  }

  private static Instant newYorkTenOClockTheDayAfter(LocalDate date) {
    return ZonedDateTime.of(date.plusDays(1), LocalTime.of(10, 0), ZoneId.of("America/New_York"))
        .toInstant();
  }

  @Test
  void markCompleteRecordsAnAuditedCompletionAndCanComplete() {
    CompletionKey key = key(PHASE3);
    List<String> processors = new ArrayList<>(PHASE3.expected());
    for (String p : processors.subList(0, 4)) {
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }
    clock.advance(Duration.ofMinutes(1));

    RecordResult r = tracker.markComplete(key, processors.get(4), ops("data verified in BigQuery"));

    assertThat(r.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(r.wonTrigger()).isTrue();
    assertThat(r.trigger().orElseThrow().reason()).isEqualTo("data verified in BigQuery");
    CompletionState s = tracker.state(key);
    assertThat(s.auditTrail())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(OverrideAction.MARK_COMPLETE);
              assertThat(e.actor()).isEqualTo("ops@example.com");
              assertThat(e.reason()).isEqualTo("data verified in BigQuery");
              assertThat(e.processor()).hasValue(processors.get(4));
              assertThat(e.at()).isEqualTo(clock.instant());
            });
    assertThat(s.completion(processors.get(4)).orElseThrow().completion().details())
        .containsEntry("override_by", "ops@example.com");
    assertThat(tracker.markComplete(key, processors.get(4), ops("again")).outcome())
        .isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(tracker.state(key).auditTrail()).hasSize(1);
  }

  @Test
  void forceTriggerPublishesOnceWithMissingProcessorsAndAnAuditEntry() {
    CompletionKey key = key(PHASE3);
    tracker.record(key, "team_offense", Completion.ofMessage("m1"));

    Optional<Trigger> forced = tracker.forceTrigger(key, ops("phase 4 must run tonight"));
    Optional<Trigger> second = tracker.forceTrigger(key, ops("again"));

    Trigger t = forced.orElseThrow();
    assertThat(t.reason()).isEqualTo("phase 4 must run tonight");
    assertThat(t.missing()).hasSize(4).doesNotContain("team_offense");
    assertThat(second).isEmpty();
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(t.id());
    CompletionState s = tracker.state(key);
    assertThat(s.auditTrail())
        .extracting(e -> e.action())
        .containsExactly(OverrideAction.FORCE_TRIGGER);
    // Completing the rest afterwards does not trigger again.
    for (String p : PHASE3.expected()) {
      assertThat(tracker.record(key, p, Completion.ofMessage("m-" + p)).wonTrigger()).isFalse();
    }
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void resetTriggerLetsTheNextSettleTriggerAgainWithANewId() {
    CompletionKey key = key(PHASE3);
    Trigger first = null;
    for (String p : PHASE3.expected()) {
      RecordResult r = tracker.record(key, p, Completion.ofMessage("m-" + p));
      if (r.wonTrigger()) {
        first = r.trigger().orElseThrow();
      }
    }
    assertThat(first).isNotNull();

    Optional<Trigger> cleared = tracker.resetTrigger(key, ops("phase 3 reprocessed"));
    assertThat(cleared.map(Trigger::id)).hasValue(first.id());
    assertThat(tracker.state(key).triggered()).isFalse();
    SettleResult again = tracker.settle(key, ops("re-run phase 4 after reprocessing"));

    Trigger second = again.published().orElseThrow();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.generation()).isEqualTo(first.generation() + 1);
    assertThat(publisher.published())
        .extracting(Trigger::id)
        .containsExactly(first.id(), second.id());
    assertThat(tracker.state(key).auditTrail())
        .extracting(e -> e.action())
        .containsExactly(OverrideAction.RESET_TRIGGER, OverrideAction.SETTLE);
    assertThat(tracker.resetTrigger(CompletionKey.of("phase4", date), ops("nothing there")))
        .isEmpty();
  }

  @Test
  void afterResetTriggerARedeliveryTriggersAgainWithTheNextGeneration() {
    CompletionKey key = key(PHASE3);
    for (String p : PHASE3.expected()) {
      tracker.record(key, p, Completion.ofMessage("m-" + p));
    }
    Trigger first = publisher.published().get(0);
    tracker.resetTrigger(key, ops("phase 3 reprocessed"));

    RecordResult redelivered =
        tracker.record(key, "team_offense", Completion.ofMessage("m-team_offense"));

    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.wonTrigger()).isTrue();
    assertThat(redelivered.trigger().orElseThrow().generation()).isEqualTo(first.generation() + 1);
    assertThat(publisher.published()).hasSize(2);
  }

  @Test
  void settleOnAConsistentKeyChangesNothing() {
    CompletionKey key = key(PHASE3);
    tracker.record(key, "team_offense", Completion.ofMessage("m1"));

    SettleResult r = tracker.settle(key, Audit.by("reconciler", Trigger.REASON_RECONCILE));

    assertThat(r.changed()).isFalse();
    assertThat(r.after()).isEqualTo(r.before());
    assertThat(tracker.state(key).auditTrail()).isEmpty();
  }

  @Test
  void timesOfAClockFinerThanMicrosecondsReadBackAsTheResultReportedThem() {
    // Firestore keeps microseconds; a result must not report times that no later read shows.
    CompletionKey key = key(PHASE3);
    clock.advance(Duration.ofNanos(123_456_789));

    RecordResult recorded = tracker.record(key, "team_offense", Completion.ofMessage("m1"));
    RecordResult marked = tracker.markComplete(key, "team_defense", ops("verified in BigQuery"));

    CompletionState read = tracker.state(key);
    assertThat(read.completion("team_offense"))
        .isEqualTo(recorded.state().completion("team_offense"));
    assertThat(read.completion("team_defense"))
        .isEqualTo(marked.state().completion("team_defense"));
    assertThat(read.auditTrail()).isEqualTo(marked.state().auditTrail());
  }

  @Test
  void stateOfAKeyNeverRecordedIsEmpty() {
    CompletionState s = tracker.state(key(PHASE3));

    assertThat(s.completions()).isEmpty();
    assertThat(s.storedCount()).isEmpty();
    assertThat(s.triggered()).isFalse();
    assertThat(s.countDrifted()).isFalse();
    assertThat(s.missing()).isEqualTo(PHASE3.expected());
  }
}
