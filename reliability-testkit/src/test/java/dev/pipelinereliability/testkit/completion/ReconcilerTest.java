package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublishException;
import dev.pipelinereliability.completion.reconcile.Finding;
import dev.pipelinereliability.completion.reconcile.FindingKind;
import dev.pipelinereliability.completion.reconcile.ReconcileReport;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final PhaseConfig PHASE3 = CompletionTrackerContract.PHASE3;
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE3);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-02-04T14:00:00Z"));
  private final LocalDate feb3 = LocalDate.of(2026, 2, 3);
  private final CompletionKey key = CompletionKey.of("phase3", feb3);
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
  private final InMemoryCompletionTracker tracker =
      new InMemoryCompletionTracker(CONFIG, publisher, clock);
  private final InMemoryCompletionEvidence evidence = new InMemoryCompletionEvidence();
  private final ReconcileScope lastThreeDays = ReconcileScope.lastDays(clock, 3, "phase3");

  private Reconciler reconciler() {
    Reconciler.Builder b = Reconciler.builder(tracker).clock(clock).evidence(evidence);
    for (String p : PHASE3.expected()) {
      b.outputTable("phase3", p, "nba_analytics." + p);
    }
    return b.build();
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
  void reportFindsTheSeedIncidentAndWritesNothing() {
    seedStuckDocument();
    CompletionState before = tracker.store().get(key).orElseThrow();

    ReconcileReport report = reconciler().report(lastThreeDays);

    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.COUNT_DRIFT, FindingKind.COMPLETE_NOT_TRIGGERED);
    assertThat(report.findings().get(0).detail()).isEqualTo("stored 3, derived 5 of 5");
    assertThat(report.keysChecked()).isEqualTo(3);
    assertThat(report.changed()).isFalse();
    assertThat(tracker.store().get(key)).hasValue(before);
    assertThat(publisher.attempts()).isZero();
  }

  @Test
  void fixRepairsTheSeedIncidentWithOneTriggerAndASecondRunChangesNothing() {
    seedStuckDocument();

    ReconcileReport fixed = reconciler().fix(lastThreeDays);
    CompletionState afterFix = tracker.state(key);
    ReconcileReport again = reconciler().fix(lastThreeDays);

    assertThat(fixed.changed()).isTrue();
    assertThat(fixed.findings()).allSatisfy(f -> assertThat(f.fix()).isPresent());
    assertThat(fixed.findings().get(0).fix().orElseThrow()).contains("count 3 -> 5");
    assertThat(publisher.published())
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo(Trigger.REASON_RECONCILE));
    assertThat(afterFix.storedCount()).hasValue(5);
    assertThat(afterFix.trigger().orElseThrow().confirmed()).isTrue();
    assertThat(afterFix.auditTrail())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(OverrideAction.SETTLE);
              assertThat(e.actor()).isEqualTo("reconciler");
              assertThat(e.reason()).isEqualTo("reconcile");
            });
    assertThat(again.hasFindings()).isFalse();
    assertThat(again.changed()).isFalse();
    assertThat(tracker.state(key)).isEqualTo(afterFix);
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void fixRecordsTheOperatorsActorAndReasonInTheAuditTrailAndOnTheTrigger() {
    seedStuckDocument();

    Reconciler.builder(tracker)
        .clock(clock)
        .actor("ana@example.com")
        .reason("INC-42 stuck at 3 of 5")
        .build()
        .fix(lastThreeDays);

    assertThat(tracker.state(key).auditTrail())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("ana@example.com");
              assertThat(e.reason()).isEqualTo("INC-42 stuck at 3 of 5");
            });
    assertThat(publisher.published())
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("INC-42 stuck at 3 of 5"));
    assertThatThrownBy(() -> Reconciler.builder(tracker).reason(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void lostCompletionMessageIsFoundFromTheEvidenceAndMarkedComplete() {
    for (String p : PHASE3.expected()) {
      evidence.landed("nba_analytics." + p, feb3, 50);
      if (!p.equals("team_defense")) {
        tracker.record(key, p, Completion.ofMessage("m-" + p));
      }
    }

    ReconcileReport report = reconciler().report(lastThreeDays);
    ReconcileReport fixed = reconciler().fix(lastThreeDays);

    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.DATA_WITHOUT_COMPLETION);
              assertThat(f.processor()).hasValue("team_defense");
              assertThat(f.detail()).contains("50 rows").contains("nba_analytics.team_defense");
            });
    assertThat(fixed.findings().get(0).fix().orElseThrow())
        .contains("marked complete")
        .contains("published trigger");
    assertThat(tracker.state(key).completion("team_defense").orElseThrow().completion().details())
        .containsEntry("override_by", "reconciler")
        .containsEntry("override_reason", "reconcile");
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void completionWithoutDataIsReportedButNeverFixed() {
    tracker.record(key, "team_offense", Completion.ofMessage("m1"));

    ReconcileReport fixed = reconciler().fix(lastThreeDays);

    assertThat(fixed.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.COMPLETION_WITHOUT_DATA);
              assertThat(f.fix()).isEmpty();
            });
    assertThat(fixed.needsHuman()).hasSize(1);
    assertThat(tracker.state(key).completion("team_offense")).isPresent();
  }

  @Test
  void claimLeftUnconfirmedIsReportedOnlyAfterTheTimeoutThenRepublishedWithItsId() {
    for (String p : PHASE3.expected()) {
      evidence.landed("nba_analytics." + p, feb3, 10);
    }
    publisher.failNext(1);
    String claimed = null;
    for (String p : PHASE3.expected()) {
      try {
        tracker.record(key, p, Completion.ofMessage("m-" + p));
      } catch (TriggerPublishException e) {
        claimed = e.trigger().id();
      }
    }
    assertThat(claimed).isNotNull();

    assertThat(reconciler().report(lastThreeDays).hasFindings()).isFalse();
    clock.advance(CONFIG.unconfirmedClaimTimeout());
    ReconcileReport report = reconciler().report(lastThreeDays);
    ReconcileReport fixed = reconciler().fix(lastThreeDays);

    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.CLAIMED_NOT_PUBLISHED);
    assertThat(fixed.findings().get(0).fix().orElseThrow())
        .contains("published trigger " + claimed);
    assertThat(publisher.published()).extracting(Trigger::id).containsExactly(claimed);
    assertThat(reconciler().fix(lastThreeDays).hasFindings()).isFalse();
  }

  @Test
  void publishFailureDuringFixIsReportedAndTheNextRunAfterTheTimeoutRepublishes() {
    seedStuckDocument();
    publisher.failNext(1);

    ReconcileReport failed = reconciler().fix(lastThreeDays);
    clock.advance(Duration.ofMinutes(6));
    ReconcileReport retried = reconciler().fix(lastThreeDays);

    assertThat(failed.findings())
        .allSatisfy(f -> assertThat(f.fix().orElseThrow()).contains("publishing failed"));
    assertThat(retried.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.CLAIMED_NOT_PUBLISHED);
    assertThat(publisher.published()).hasSize(1);
    assertThat(tracker.state(key).trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void scheduledFixFiresAWallClockDeadlineThatNoCompletionReached() {
    PhaseConfig phase4 =
        PhaseConfig.of("phase4", "a", "b", "c", "d", "e")
            .withDeadline(
                DeadlinePolicy.atLocalTime(
                    LocalTime.of(10, 0), ZoneId.of("America/New_York"), 1, 3));
    InMemoryCompletionTracker deadlined =
        new InMemoryCompletionTracker(CompletionConfig.of(phase4), publisher, clock);
    CompletionKey phase4Key = CompletionKey.of("phase4", feb3);
    clock.set(Instant.parse("2026-02-04T09:00:00Z"));
    for (String p : List.of("a", "b", "c")) {
      deadlined.record(phase4Key, p, Completion.ofMessage(p));
    }
    Reconciler scheduled = Reconciler.builder(deadlined).clock(clock).build();
    ReconcileScope scope = ReconcileScope.lastDays(clock, 2, "phase4");

    // A run every 15 minutes: 10:00 New York on Feb 4 is 15:00Z.
    List<ReconcileReport> runs = new java.util.ArrayList<>();
    for (Instant at = Instant.parse("2026-02-04T14:30:00Z");
        !at.isAfter(Instant.parse("2026-02-04T15:30:00Z"));
        at = at.plus(Duration.ofMinutes(15))) {
      clock.set(at);
      runs.add(scheduled.fix(scope));
    }

    assertThat(runs)
        .extracting(ReconcileReport::hasFindings)
        .containsExactly(false, false, true, false, false);
    Finding fired = runs.get(2).findings().get(0);
    assertThat(fired.kind()).isEqualTo(FindingKind.DEADLINE_NOT_TRIGGERED);
    assertThat(fired.detail()).contains("10:00 America/New_York").contains("[d, e]");
    assertThat(fired.fix().orElseThrow()).contains("published trigger phase4/2026-02-03/1");
    Trigger t = publisher.published().get(0);
    assertThat(t.missing()).containsExactly("d", "e");
    assertThat(t.claimedAt()).isEqualTo(Instant.parse("2026-02-04T15:00:00Z"));
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void withoutEvidenceOnlyTrackerStateIsChecked() {
    tracker.record(key, "team_offense", Completion.ofMessage("m1"));

    ReconcileReport report = Reconciler.builder(tracker).clock(clock).build().report(lastThreeDays);

    assertThat(report.hasFindings()).isFalse();
  }

  @Test
  void unknownPhaseOrUnexpectedProcessorIsRejectedBeforeReading() {
    assertThatThrownBy(
            () ->
                Reconciler.builder(tracker)
                    .build()
                    .report(ReconcileScope.lastDays(clock, 1, "phase9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("phase9");
    assertThatThrownBy(() -> Reconciler.builder(tracker).outputTable("phase3", "nope", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'");
  }
}
