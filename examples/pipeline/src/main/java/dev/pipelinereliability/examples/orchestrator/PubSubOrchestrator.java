package dev.pipelinereliability.examples.orchestrator;

import static java.util.Objects.requireNonNull;

import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a Pub/Sub subscription of completion messages into a {@link PhaseOrchestrator}. A message
 * is acknowledged only after the tracker recorded it; if recording fails it is nacked and Pub/Sub
 * redelivers it, so a completion is never lost to a cold start or a contended document. A message
 * that can never be read (a missing or malformed attribute) is logged and acknowledged.
 *
 * <p>Thread-safe; the subscriber handles messages on its own threads.
 */
public final class PubSubOrchestrator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PubSubOrchestrator.class);

  private final PhaseOrchestrator orchestrator;
  private final Subscriber subscriber;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong redelivered = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  private PubSubOrchestrator(
      PubSubConnection connection, String subscription, PhaseOrchestrator orchestrator) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator");
    this.subscriber = connection.subscriber(subscription, this::receive);
  }

  /**
   * Subscribes to {@code subscription} and starts handling messages.
   *
   * @throws IllegalStateException if the subscriber does not start within 30 s
   */
  public static PubSubOrchestrator start(
      PubSubConnection connection, String subscription, PhaseOrchestrator orchestrator) {
    PubSubOrchestrator running = new PubSubOrchestrator(connection, subscription, orchestrator);
    try {
      running.subscriber.startAsync().awaitRunning(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      running.close();
      throw new IllegalStateException(
          "subscriber on " + subscription + " did not start in 30 s", e);
    }
    return running;
  }

  private void receive(PubsubMessage message, AckReplyConsumer reply) {
    CompletionMessage completion;
    try {
      completion = CompletionMessages.fromPubsub(message);
    } catch (IllegalArgumentException e) {
      malformed.incrementAndGet();
      log.error(
          "Dropping unreadable completion message {}: {}", message.getMessageId(), e.getMessage());
      reply.ack();
      return;
    }
    try {
      orchestrator.onCompletion(completion);
      recorded.incrementAndGet();
      reply.ack();
    } catch (RuntimeException e) {
      redelivered.incrementAndGet();
      // One line for on-call; the stack trace only at DEBUG.
      log.warn("Could not record {}; nacked for redelivery: {}", completion, e.toString());
      log.debug("Failure recording {}", completion, e);
      reply.nack();
    }
  }

  /** Deliveries recorded and acknowledged so far. */
  public long recorded() {
    return recorded.get();
  }

  /** Deliveries nacked because recording failed. */
  public long nacked() {
    return redelivered.get();
  }

  /** Unreadable messages acknowledged and dropped. */
  public long malformed() {
    return malformed.get();
  }

  /** Stops the subscriber, waiting up to {@code timeout} for messages in flight. */
  public void stop(Duration timeout) {
    try {
      subscriber.stopAsync().awaitTerminated(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Subscriber did not stop within {}", timeout);
    }
  }

  /** Stops the subscriber, waiting up to 10 s. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
