package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.AuditEntry;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.spi.WriteLoop.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one attempt of an audited {@code settle} changes: a drifted count corrected, a due trigger
 * (a passed deadline) claimed, or a claim left unconfirmed past the timeout renewed to be published
 * again; with one audit entry naming every change. Stateless.
 */
final class Settling {
  private Settling() {}

  /**
   * Returns the changes (empty: nothing to write) and the write that makes them, for {@code s} at
   * {@code now}.
   */
  static Decision<List<String>> decide(
      CompletionConfig config, PhaseConfig phase, CompletionState s, Audit audit, Instant now) {
    StateChange change = StateChange.none();
    List<String> changes = new ArrayList<>();
    if (s.countDrifted()) {
      change = change.withStoredCount(s.completedCount());
      changes.add(
          "count "
              + (s.storedCount().isPresent() ? s.storedCount().getAsInt() : "absent")
              + " -> "
              + s.completedCount());
    }
    if (s.trigger().isEmpty()) {
      Optional<Trigger> claim = TriggerClaims.dueClaim(phase, s, Optional.of(audit), now);
      if (claim.isPresent()) {
        change = change.withTrigger(claim.get());
        changes.add("claimed trigger " + claim.get().id() + " (" + claim.get().note() + ")");
      }
    } else {
      // Only an audited settle re-publishes an abandoned claim: the claimant may merely
      // be slow, and letting a delivery re-claim would give one generation a second
      // record() winner.
      Trigger t = s.trigger().get();
      if (!t.confirmed() && !now.isBefore(t.claimedAt().plus(config.unconfirmedClaimTimeout()))) {
        change = change.withTrigger(t.reclaimedAt(now));
        changes.add(
            "re-claimed trigger "
                + t.id()
                + " left unconfirmed since "
                + t.claimedAt()
                + ", to publish it again");
      }
    }
    if (changes.isEmpty()) {
      return new Decision<>(List.of(), StateChange.none());
    }
    AuditEntry entry =
        AuditEntry.of(
            now, OverrideAction.SETTLE, audit, Optional.empty(), String.join("; ", changes));
    return new Decision<>(List.copyOf(changes), change.withAudit(entry));
  }
}
