package dev.pipelinereliability.examples.pipeline;

/**
 * Where a processor announces completion: Pub/Sub in production (see {@code
 * orchestrator.PubSubCompletionPublisher}), a queue in the replay, or straight into a tracker.
 */
@FunctionalInterface
public interface CompletionPublisher {
  /**
   * Publishes {@code message}; delivery may happen more than once.
   *
   * @throws RuntimeException if the message could not be published
   */
  void publish(CompletionMessage message);
}
