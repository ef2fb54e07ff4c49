package dev.pipelinereliability.firestore.completion;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.reconcile.Finding;
import dev.pipelinereliability.completion.reconcile.FindingKind;
import dev.pipelinereliability.completion.reconcile.ReconcileReport;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Firestore tracker over documents the legacy orchestrator wrote: it reads them without a
 * migration, the reconciler repairs the incident, and what it writes keeps the legacy fields.
 */
class LegacyOrchestratorLayoutTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final PhaseConfig PHASE3 =
      PhaseConfig.of(
          "phase3",
          "player_game_summary",
          "team_offense",
          "team_defense",
          "upcoming_player_context",
          "upcoming_team_context");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE3);
  private static final LocalDate FEB3 = LocalDate.of(2026, 2, 3);
  private static final CompletionKey KEY = CompletionKey.of("phase3", FEB3);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-02-04T14:00:00Z"));
  private final RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();

  private FirestoreCompletionTracker tracker(Firestore firestore) {
    return FirestoreCompletionTracker.builder(firestore, CONFIG, publisher).clock(clock).build();
  }

  private static DocumentReference legacyDocument(Firestore firestore) {
    return firestore.collection("phase3_completion").document(FEB3.toString());
  }

  /** What the legacy orchestrator wrote per processor (orchestration/.../phase3_to_phase4). */
  private static Map<String, Object> legacyProcessorField(String processor) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("completed_at", Timestamp.parseTimestamp("2026-02-04T03:10:00Z"));
    v.put("correlation_id", "corr-" + processor);
    v.put("status", "success");
    v.put("record_count", 348L);
    v.put("execution_id", "exec-" + processor);
    return v;
  }

  /** The document of the incident: all five processor fields, count stuck at 3, no trigger. */
  private static void writeTheIncident(Firestore firestore) throws Exception {
    Map<String, Object> doc = new HashMap<>();
    for (String p : PHASE3.expected()) {
      doc.put(p, legacyProcessorField(p));
    }
    doc.put("_completed_count", 3L);
    doc.put("_triggered", null);
    doc.put("_last_update", Timestamp.parseTimestamp("2026-02-04T03:10:05Z"));
    legacyDocument(firestore).set(doc).get();
  }

  @Test
  void reconcilerReportsTheIncidentFixesItWithOneTriggerAndASecondFixChangesNothing()
      throws Exception {
    Firestore firestore = EMULATOR.firestore();
    writeTheIncident(firestore);
    Reconciler reconciler = Reconciler.builder(tracker(firestore)).clock(clock).build();
    ReconcileScope lastThreeDays = ReconcileScope.lastDays(clock, 3, "phase3");
    DocumentSnapshot written = legacyDocument(firestore).get().get();

    ReconcileReport report = reconciler.report(lastThreeDays);

    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.COUNT_DRIFT, FindingKind.COMPLETE_NOT_TRIGGERED);
    assertThat(report.findings().get(0).detail()).isEqualTo("stored 3, derived 5 of 5");
    DocumentSnapshot afterReport = legacyDocument(firestore).get().get();
    assertThat(afterReport.getUpdateTime()).isEqualTo(written.getUpdateTime());
    assertThat(publisher.attempts()).isZero();

    ReconcileReport fixed = reconciler.fix(lastThreeDays);

    assertThat(fixed.changed()).isTrue();
    assertThat(publisher.published())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo("phase3/2026-02-03/1");
              assertThat(t.reason()).isEqualTo(Trigger.REASON_RECONCILE);
            });
    DocumentSnapshot repaired = legacyDocument(firestore).get().get();
    assertThat(repaired.getLong("_completed_count")).isEqualTo(5L);
    assertThat(repaired.getBoolean("_triggered")).isTrue();
    assertThat(repaired.getString("_trigger_reason")).isEqualTo("reconcile");
    assertThat(repaired.get("_last_update")).isInstanceOf(Timestamp.class);
    for (String p : PHASE3.expected()) {
      assertThat(repaired.get(p))
          .as("legacy field %s left as written", p)
          .isEqualTo(written.get(p));
    }

    ReconcileReport again = reconciler.fix(lastThreeDays);

    assertThat(again.hasFindings()).isFalse();
    assertThat(again.changed()).isFalse();
    assertThat(legacyDocument(firestore).get().get().getUpdateTime())
        .isEqualTo(repaired.getUpdateTime());
    assertThat(publisher.published()).hasSize(1);
  }

  @Test
  void legacyProcessorMetadataReadsAsMessageIdAndRowCount() throws Exception {
    Firestore firestore = EMULATOR.firestore();
    writeTheIncident(firestore);

    CompletionState state = tracker(firestore).state(KEY);

    Completion c = state.completion("team_offense").orElseThrow().completion();
    assertThat(c.messageId()).hasValue("corr-team_offense");
    assertThat(c.rowCount()).hasValue(348);
    assertThat(state.completion("team_offense").orElseThrow().recordedAt())
        .isEqualTo(Instant.parse("2026-02-04T03:10:00Z"));
    assertThat(state.storedCount()).hasValue(3);
    assertThat(state.completedCount()).isEqualTo(5);
    assertThat(state.triggered()).isFalse();
  }

  @Test
  void documentTriggeredByTheLegacyOrchestratorIsNeverTriggeredAgain() throws Exception {
    Firestore firestore = EMULATOR.firestore();
    Map<String, Object> doc = new HashMap<>();
    doc.put("player_game_summary", true);
    doc.put("team_offense", legacyProcessorField("team_offense"));
    doc.put("_completed_count", 2L);
    doc.put("_triggered", true);
    doc.put("_trigger_reason", "manual_fix_after_session_116_validation");
    legacyDocument(firestore).set(doc).get();
    FirestoreCompletionTracker tracker = tracker(firestore);

    CompletionState state = tracker.state(KEY);
    for (String p : PHASE3.expected()) {
      tracker.record(KEY, p, Completion.ofMessage("late-" + p));
    }

    Trigger legacy = state.trigger().orElseThrow();
    assertThat(legacy.generation()).isZero();
    assertThat(legacy.confirmed()).isTrue();
    assertThat(legacy.reason()).isEqualTo("manual_fix_after_session_116_validation");
    assertThat(state.completed()).containsExactly("player_game_summary", "team_offense");
    assertThat(publisher.attempts()).isZero();
    assertThat(legacyDocument(firestore).get().get().getLong("_completed_count")).isEqualTo(5L);
  }

  @Test
  void documentsWrittenByTheTrackerKeepTheLegacyFieldsForExistingDashboards() throws Exception {
    Firestore firestore = EMULATOR.firestore();
    FirestoreCompletionTracker tracker = tracker(firestore);

    List<RecordResult> results = new ArrayList<>();
    for (String p : PHASE3.expected()) {
      results.add(
          tracker.record(
              KEY,
              p,
              Completion.builder().messageId("m-" + p).rowCount(10).fencingToken(4).build()));
    }
    RecordResult last = results.get(results.size() - 1);

    assertThat(last.outcome()).isEqualTo(RecordOutcome.RECORDED);
    assertThat(last.wonTrigger()).isTrue();
    DocumentSnapshot doc = legacyDocument(firestore).get().get();
    assertThat(doc.getLong("_completed_count")).isEqualTo(5L);
    assertThat(doc.getBoolean("_triggered")).isTrue();
    assertThat(doc.getString("_trigger_reason")).isEqualTo(Trigger.REASON_ALL_COMPLETE);
    assertThat(doc.getString("_trigger_id")).isEqualTo("phase3/2026-02-03/1");
    assertThat(doc.get("_trigger_published_at")).isInstanceOf(Timestamp.class);
    assertThat(doc.get("_last_update")).isInstanceOf(Timestamp.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> field = (Map<String, Object>) doc.get("team_defense");
    assertThat(field)
        .containsEntry("message_id", "m-team_defense")
        .containsEntry("row_count", 10L)
        .containsEntry("fencing_token", 4L)
        .containsEntry("status", "success")
        .containsKey("completed_at");
    assertThat(doc.getData().keySet().stream().filter(k -> !k.startsWith("_")).toList())
        .containsExactlyInAnyOrderElementsOf(List.copyOf(PHASE3.expected()));
  }
}
