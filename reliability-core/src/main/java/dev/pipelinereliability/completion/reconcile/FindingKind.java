package dev.pipelinereliability.completion.reconcile;

/** The kinds of disagreement the {@link Reconciler} finds, and how fix mode repairs each. */
public enum FindingKind {
  /**
   * The stored count differs from the count derived from the stored completions (for example {@code
   * _completed_count} 3 with 5 processors present). Fix: rewrite the stored count.
   */
  COUNT_DRIFT,
  /**
   * The evidence shows rows for a processor's table and date, but no completion is recorded: the
   * completion message was lost. Fix: mark the processor complete, audited as {@code reconcile}.
   */
  DATA_WITHOUT_COMPLETION,
  /**
   * Every expected processor has completed but no trigger was ever claimed. Fix: claim the trigger
   * with reason {@code reconcile} and publish it.
   */
  COMPLETE_NOT_TRIGGERED,
  /**
   * A trigger was claimed but its publication was never confirmed within the tracker's
   * unconfirmed-claim timeout (the claimant crashed or its publish failed). Fix: publish it again
   * with the same trigger id.
   */
  CLAIMED_NOT_PUBLISHED,
  /**
   * The phase's {@link dev.pipelinereliability.completion.DeadlinePolicy} has passed with at least
   * its minimum of processors complete, but no trigger was claimed: nothing touched the key since
   * the deadline (no delivery, no settle). Fix: settle, which claims the trigger (reason {@code
   * reconcile}, the deadline in its note), records the missing processors and publishes it. Run fix
   * mode on a schedule and a deadline fires at the first run after it.
   */
  DEADLINE_NOT_TRIGGERED,
  /**
   * A completion is recorded, but the evidence shows no rows for the processor's table and date.
   * Not fixed automatically: a run that legitimately wrote nothing and a run whose write was lost
   * look the same from here, so a human decides.
   */
  COMPLETION_WITHOUT_DATA;

  /**
   * Whether fix mode repairs this kind of finding.
   *
   * @return whether fix mode repairs this kind of finding
   */
  public boolean fixable() {
    return this != COMPLETION_WITHOUT_DATA;
  }

  /**
   * Returns the name in lower case ({@code count_drift}), as used in JSON and tables.
   *
   * @return the name in lower case ({@code count_drift}), as used in JSON and tables
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
