package dev.pipelinereliability.examples.pipeline;

import dev.pipelinereliability.lock.LockOptions;

/**
 * Phase 3 (analytics) template: if another instance holds the date it is doing this work, so the
 * run skips and reports success without a retry loop. 10 minute lease, as the legacy pipeline had.
 */
public abstract class Phase3Processor extends LockedProcessor {
  /** Phase name, used for the lock type and completion tracking. */
  public static final String PHASE = "phase3";

  /** Creates a Phase 3 processor writing {@code table}, keyed by {@code keyFields}. */
  protected Phase3Processor(PipelineServices services, String table, String... keyFields) {
    super(services, PHASE, WhenHeld.SKIP, LockOptions.ofDefaults(), table, keyFields);
  }
}
