package dev.pipelinereliability.examples.orchestrator;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;

/**
 * Records completion deliveries; the tracker fires the next phase's trigger exactly once through
 * its {@link dev.pipelinereliability.completion.TriggerPublisher}. This is the whole orchestrator:
 * no stored counter, no transaction, nothing to drift.
 *
 * <p>Thread-safe: deliveries may be handled concurrently.
 */
public final class PhaseOrchestrator {
  private final CompletionTracker tracker;

  /** Creates the orchestrator over {@code tracker}, which publishes the triggers it awards. */
  public PhaseOrchestrator(CompletionTracker tracker) {
    this.tracker = requireNonNull(tracker, "tracker");
  }

  /**
   * Records one delivery of {@code message}. Idempotent: a redelivery is reported as a duplicate
   * and changes nothing.
   *
   * @return what the tracker recorded, including whether this delivery won the trigger
   * @throws dev.pipelinereliability.ReliabilityException if the tracker's store cannot be reached;
   *     the delivery must not be acknowledged, so that it is redelivered
   */
  public RecordResult onCompletion(CompletionMessage message) {
    return tracker.record(
        CompletionKey.of(message.phase(), message.date()),
        message.processor(),
        Completion.builder()
            .messageId(message.messageId())
            .rowCount(message.rowCount())
            .fencingToken(message.fencingToken())
            .build());
  }
}
