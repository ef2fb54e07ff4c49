package dev.pipelinereliability.examples.ops;

import dev.pipelinereliability.completion.reconcile.Reconciler;
import dev.pipelinereliability.examples.pipeline.PipelineHealth;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.lock.LockAdmin;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What the command line operates on: the lock store, the completion reconciler, and the health
 * checks of a date. Production wiring connects to Firestore and BigQuery; tests and the replay pass
 * in-memory stores.
 */
public interface OpsBackends {
  /** The lock store's administration API. */
  LockAdmin locks();

  /** The reconciler of the completion tracker against the data that landed. */
  Reconciler reconciler();

  /** The health checks for {@code date}; see {@code PipelineHealth}. */
  HealthCheckRunner health(LocalDate date);

  /** The current time; the system clock unless a test says otherwise. */
  default Clock clock() {
    return Clock.systemUTC();
  }

  /** The pipeline's time zone, for "yesterday" when no date is given. */
  default ZoneId zone() {
    return PipelineHealth.ZONE;
  }
}
