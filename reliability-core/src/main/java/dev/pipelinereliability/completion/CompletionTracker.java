package dev.pipelinereliability.completion;

import java.util.Optional;

/**
 * Records which processors of a phase have finished a date, and triggers the next phase exactly
 * once.
 *
 * <p>Guarantees, for every backend (each passes the testkit's {@code CompletionTrackerContract}):
 *
 * <ul>
 *   <li><b>Idempotent recording, one {@code RECORDED} per completion.</b> Delivering a completion
 *       any number of times, in any order, concurrently or not, stores it once, and exactly one of
 *       those calls is answered {@link RecordOutcome#RECORDED} (per key, processor and fencing
 *       token; none only if the store lost the answer to the write that stored it, as {@link
 *       RecordOutcome} details); the others are {@link RecordOutcome#DUPLICATE} or {@link
 *       RecordOutcome#STALE}. Counts are derived from the stored completions, never incremented, so
 *       they cannot drift.
 *   <li><b>Exactly one trigger winner.</b> Per key and trigger generation, exactly one call claims
 *       the trigger (by a compare-and-set on the stored state), publishes it through the {@link
 *       TriggerPublisher}, then confirms it. Every other call sees it claimed. {@link #record} and
 *       {@link #markComplete} never re-claim a claimed trigger, however old the claim: no duplicate
 *       or late delivery can become a second winner.
 *   <li><b>Crash-safe triggering, at least once downstream.</b> A claim that is never confirmed
 *       (the process died, or the publisher threw or is still stuck) is published again, with the
 *       same {@link Trigger#id()}, only by {@link #settle} (which the reconciler calls) once {@link
 *       CompletionConfig#unconfirmedClaimTimeout()} has passed since the claim, judged by the
 *       settling caller's clock. That re-publication is reported in {@link
 *       SettleResult#published()}, never as a won trigger. A claimant that was merely slow still
 *       publishes too, so downstream may receive one trigger id twice and must de-duplicate by
 *       {@link Trigger#id()}.
 *   <li><b>No silent count change.</b> A completion from a processor the phase does not expect is
 *       answered {@link RecordOutcome#UNEXPECTED} and writes nothing; one whose fencing token is
 *       older than the recorded one is answered {@link RecordOutcome#STALE} and writes nothing.
 *   <li><b>Audited overrides.</b> {@link #markComplete}, {@link #forceTrigger}, {@link
 *       #resetTrigger} and {@link #settle} store who asked, why and when.
 * </ul>
 *
 * <p><b>Acknowledge a message only after {@link #record} returns.</b> The completion, the derived
 * count and the trigger claim are one write, but publishing the trigger and confirming it follow
 * it: a process that dies in between leaves the claim unconfirmed until {@link #settle} (the
 * reconciler) publishes it again. So an orchestrator acknowledges its message (or answers 2xx to a
 * push) only after {@code record} returned, never when it threw; a redelivery is answered {@link
 * RecordOutcome#DUPLICATE}.
 *
 * <p><b>Deadlines.</b> A phase's {@link DeadlinePolicy} is checked by every {@link #record}
 * answered {@code RECORDED} or {@code DUPLICATE} (not {@code STALE} or {@code UNEXPECTED}) and by
 * every {@link #settle}. When no message arrives after a deadline, run {@link #settle} or the
 * reconciler's fix mode on a schedule: the trigger fires at the first run after the deadline.
 *
 * <p>Implementations are thread-safe, and several instances over one store (one per Cloud Function
 * instance) may run concurrently. A store failure throws {@link CompletionStoreException}; every
 * operation is safe to repeat after one.
 */
public interface CompletionTracker {

  /**
   * Returns the phases this tracker tracks.
   *
   * @return the phases this tracker tracks
   */
  CompletionConfig config();

  /**
   * Records that {@code processor} finished {@code key}, then claims and publishes the downstream
   * trigger if this completion made it due (every expected processor complete, or the deadline
   * policy satisfied) and nobody claimed it yet.
   *
   * <p>Acknowledge the message being recorded only after this returns (see the class comment).
   *
   * @param key the phase and date
   * @param processor the processor that finished
   * @param completion what the processor said about its run
   * @return what happened and the key's derived state
   * @throws IllegalArgumentException if the phase is not configured or the processor name is
   *     invalid; nothing is written
   * @throws TriggerPublishException if this call won the trigger but publishing failed; the
   *     completion is recorded and the claim is left for re-publication
   * @throws CompletionStoreException if the store failed
   */
  RecordResult record(CompletionKey key, String processor, Completion completion);

  /**
   * Reads the key's state. Writes nothing.
   *
   * @param key the phase and date
   * @return the key's state, empty if nothing was recorded
   * @throws IllegalArgumentException if the phase is not configured
   * @throws CompletionStoreException if the store failed
   */
  CompletionState state(CompletionKey key);

  /**
   * Brings the stored state in line with the derived state, with compare-and-set writes: rewrites a
   * drifted stored count, claims a due trigger (with {@code audit.reason()} as its reason) and
   * publishes it, and re-publishes with the same id a claim unconfirmed for longer than {@link
   * CompletionConfig#unconfirmedClaimTimeout()}. Records an audit entry when it changed anything.
   * Running it again right after changes nothing.
   *
   * @param key the phase and date
   * @param audit who settles and why (the reconciler, a scheduler); stored when anything changed
   * @return the state before and after, what changed, and the trigger this call published
   * @throws IllegalArgumentException if the phase is not configured
   * @throws TriggerPublishException if publishing failed; the claim stays unconfirmed
   * @throws CompletionStoreException if the store failed
   */
  SettleResult settle(CompletionKey key, Audit audit);

  /**
   * Marks {@code processor} complete without its own message, with an audit entry, then settles
   * like {@link #record}. The completion's details name the actor and reason.
   *
   * @param key the phase and date
   * @param processor the processor to mark complete
   * @param audit who asks and why; stored in the audit trail and the completion
   * @return the result; {@link RecordOutcome#DUPLICATE} if the processor had already completed (no
   *     audit entry then), {@link RecordOutcome#UNEXPECTED} if the phase does not expect it
   * @throws IllegalArgumentException if the phase is not configured or the name is invalid
   * @throws TriggerPublishException if this call won the trigger but publishing failed
   * @throws CompletionStoreException if the store failed
   */
  RecordResult markComplete(CompletionKey key, String processor, Audit audit);

  /**
   * Claims and publishes the trigger now, whichever processors have completed, recording the
   * missing ones and an audit entry. The trigger's reason is {@code audit.reason()}.
   *
   * @param key the phase and date
   * @param audit who asks and why; the audit's reason becomes the trigger's
   * @return the trigger this call published, or empty if a trigger was already claimed (use {@link
   *     #resetTrigger} first to trigger again)
   * @throws IllegalArgumentException if the phase is not configured
   * @throws TriggerPublishException if publishing failed; the claim stays unconfirmed
   * @throws CompletionStoreException if the store failed
   */
  Optional<Trigger> forceTrigger(CompletionKey key, Audit audit);

  /**
   * Clears the key's trigger, with an audit entry, so that it can be triggered again (for example
   * after the phase's data was reprocessed). The next trigger gets a new id. Does not trigger by
   * itself: the next {@link #record} answered {@code RECORDED} or {@code DUPLICATE} (a redelivery
   * too) or the next {@link #settle} does, if due.
   *
   * @param key the phase and date
   * @param audit who asks and why; stored in the audit trail
   * @return the trigger that was cleared, or empty if none was claimed (nothing is written then)
   * @throws IllegalArgumentException if the phase is not configured
   * @throws CompletionStoreException if the store failed
   */
  Optional<Trigger> resetTrigger(CompletionKey key, Audit audit);
}
