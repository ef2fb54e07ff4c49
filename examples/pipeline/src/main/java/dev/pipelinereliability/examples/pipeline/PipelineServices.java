package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.examples.warehouse.Warehouse;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.validation.DuplicateValidator;
import java.time.Clock;

/**
 * What processors share within one service: the lock store, the warehouse and its validator, the
 * raw data feed, the completion publisher and the clock. Pass in-memory fakes in tests, Firestore
 * and BigQuery backends in production.
 *
 * @param locks the lock store
 * @param warehouse where rows are written
 * @param validator checks a written partition for duplicate keys
 * @param feed the raw data the processors read
 * @param completions where completion is announced
 * @param clock the service clock
 */
public record PipelineServices(
    DistributedLock locks,
    Warehouse warehouse,
    DuplicateValidator validator,
    SourceFeed feed,
    CompletionPublisher completions,
    Clock clock) {

  /** Checks that nothing is null. */
  public PipelineServices {
    requireNonNull(locks, "locks");
    requireNonNull(warehouse, "warehouse");
    requireNonNull(validator, "validator");
    requireNonNull(feed, "feed");
    requireNonNull(completions, "completions");
    requireNonNull(clock, "clock");
  }
}
