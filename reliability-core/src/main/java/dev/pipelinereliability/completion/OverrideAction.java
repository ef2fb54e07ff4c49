package dev.pipelinereliability.completion;

/** The kinds of change an {@link AuditEntry} records. */
public enum OverrideAction {
  /** A processor was marked complete by hand or by the reconciler, not by its own message. */
  MARK_COMPLETE,
  /** The downstream phase was triggered regardless of which processors had completed. */
  FORCE_TRIGGER,
  /** A trigger was cleared so that the phase can be triggered again, with a new trigger id. */
  RESET_TRIGGER,
  /**
   * Stored state was brought in line with derived state: a drifted count rewritten, a due trigger
   * claimed, or an unconfirmed trigger re-published.
   */
  SETTLE
}
