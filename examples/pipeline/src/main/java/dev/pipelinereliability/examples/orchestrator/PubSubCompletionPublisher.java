package dev.pipelinereliability.examples.orchestrator;

import static java.util.Objects.requireNonNull;

import com.google.cloud.pubsub.v1.Publisher;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.examples.pipeline.CompletionPublisher;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a processor uses in production to announce completion: publishes to the completion topic and
 * waits (at most 30 s) until Pub/Sub accepted the message. Thread-safe; the caller owns the
 * publisher.
 */
public final class PubSubCompletionPublisher implements CompletionPublisher {
  private final Publisher publisher;

  /** Publishes through {@code publisher}, a publisher for the completion topic. */
  public PubSubCompletionPublisher(Publisher publisher) {
    this.publisher = requireNonNull(publisher, "publisher");
  }

  /**
   * Publishes {@code message}.
   *
   * @throws ReliabilityException if Pub/Sub did not accept it within 30 s
   */
  @Override
  public void publish(CompletionMessage message) {
    try {
      publisher.publish(CompletionMessages.toPubsub(message)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ReliabilityException("could not publish " + message, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReliabilityException("interrupted publishing " + message, e);
    }
  }
}
