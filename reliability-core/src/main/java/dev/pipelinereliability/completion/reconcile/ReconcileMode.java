package dev.pipelinereliability.completion.reconcile;

/** Whether a {@link Reconciler} run only reports or also repairs. */
public enum ReconcileMode {
  /** Reads and reports; writes nothing. The default. */
  REPORT,
  /**
   * Reports, then repairs every fixable finding with the tracker's compare-and-set operations,
   * audited with actor {@code reconciler} (configurable) and reason {@code reconcile}.
   */
  FIX
}
