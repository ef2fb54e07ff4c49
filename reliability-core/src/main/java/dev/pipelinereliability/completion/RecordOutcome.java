package dev.pipelinereliability.completion;

/**
 * What {@link CompletionTracker#record} did with one completion message.
 *
 * <p>Under concurrency: every outcome is decided against one read of the key, and a completion is
 * stored only by a write that succeeds if the key is unchanged since that read; a write that loses
 * is decided again from a fresh read. So, whatever the number of instances, threads and
 * redeliveries, for each (key, processor, fencing token or none) at most one call is answered
 * {@code RECORDED}, and every other delivery of it is answered {@code DUPLICATE} (or {@code STALE},
 * once a newer token is stored). Exactly one is, if that completion was ever stored, unless the
 * store lost the answer to the write that stored it and no later read could show it landed (see
 * {@code StoreBackedCompletionTracker}): then the call threw, or was answered {@code STALE} because
 * a newer token replaced it first. Token-less and fenced completions of one processor may be mixed:
 * a completion without a token never replaces a stored one, so it cannot undo a fenced completion.
 */
public enum RecordOutcome {
  /**
   * This call stored the completion: the processor had none, or this one carries a newer fencing
   * token than the stored one (a re-run replaced the metadata; the completed set did not grow). At
   * most one call per (key, processor, token) is answered {@code RECORDED}, also under concurrent
   * duplicates, and exactly one unless a write's answer was lost (see above), so counting these
   * answers counts completions. The same write stored the derived count and, if this completion
   * made the trigger due, the trigger claim.
   */
  RECORDED,
  /**
   * The processor had already completed and this completion is not newer: a redelivered message, a
   * concurrent duplicate that lost the race to the one answered {@code RECORDED}, a completion
   * without a token after any stored one, or a re-run without a newer token. Nothing about the
   * processor was written; the call wrote at all only if the key had a due, unclaimed trigger (it
   * then claimed it and {@link RecordResult#wonTrigger()} is true).
   */
  DUPLICATE,
  /**
   * The completion carries a fencing token lower than the one stored for its processor: it comes
   * from a run that lost its lock to a newer run. Nothing was written.
   */
  STALE,
  /**
   * The processor is not among the phase's expected processors. Nothing was written and the
   * completed count did not change; the result's log line names the processor so a misconfiguration
   * is visible.
   */
  UNEXPECTED
}
