package dev.pipelinereliability.examples.pipeline;

import dev.pipelinereliability.lock.LockOptions;

/**
 * Phase 4 (precompute) template: like Phase 3, a run skips when another instance holds the date.
 * Phase 4 starts only when the orchestrator's trigger says every Phase 3 table is complete.
 */
public abstract class Phase4Processor extends LockedProcessor {
  /** Phase name, used for the lock type and completion tracking. */
  public static final String PHASE = "phase4";

  /** Creates a Phase 4 processor writing {@code table}, keyed by {@code keyFields}. */
  protected Phase4Processor(PipelineServices services, String table, String... keyFields) {
    super(services, PHASE, WhenHeld.SKIP, LockOptions.ofDefaults(), table, keyFields);
  }
}
