package dev.pipelinereliability.completion;

/** What {@link CompletionTracker#record} did with one completion message. */
public enum RecordOutcome {
  /**
   * The completion is now the stored completion of its processor: the processor had none, or this
   * one carries a newer fencing token than the stored one (a re-run replaced the metadata; the
   * completed set did not grow).
   *
   * <p>Two deliveries of the same token-less completion that race each other may both be answered
   * {@code RECORDED}: such completions are written with an idempotent merge, so both writes store
   * the same fact. The stored state, the count and the trigger are the same either way; fenced
   * completions are decided by compare-and-set and are answered {@code RECORDED} exactly once.
   */
  RECORDED,
  /**
   * The processor had already completed and this completion is not newer: a redelivered message or
   * a re-run without a newer token. Nothing about the processor was written.
   */
  DUPLICATE,
  /**
   * The completion carries a fencing token lower than the one recorded for its processor: it comes
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
