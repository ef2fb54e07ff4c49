package dev.pipelinereliability.examples.pipeline;

import dev.pipelinereliability.lock.LockOptions;
import java.time.Duration;

/**
 * Grading template: grading must run, once, so a second instance waits up to 5 minutes for the lock
 * instead of skipping (the legacy pipeline's "60 waits of 5 s", woken at release instead of
 * polling), and fails with {@code LockTimeoutException} rather than grading without the lock.
 */
public abstract class GradingProcessor extends LockedProcessor {
  /** Phase name, used for the lock type and completion tracking. */
  public static final String PHASE = "grading";

  private static final LockOptions WAIT_FIVE_MINUTES =
      LockOptions.builder()
          .leaseDuration(Duration.ofMinutes(5))
          .maxWait(Duration.ofMinutes(5))
          .build();

  /** Creates a grading processor writing {@code table}, keyed by {@code keyFields}. */
  protected GradingProcessor(PipelineServices services, String table, String... keyFields) {
    super(services, PHASE, WhenHeld.WAIT, WAIT_FIVE_MINUTES, table, keyFields);
  }
}
