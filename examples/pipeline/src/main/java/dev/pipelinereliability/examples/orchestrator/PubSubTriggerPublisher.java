package dev.pipelinereliability.examples.orchestrator;

import static java.util.Objects.requireNonNull;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a won trigger to the next phase's topic and waits (at most 30 s) until Pub/Sub has it,
 * so the tracker confirms the claim only after a real publish. The {@code trigger_id} attribute is
 * stable across re-publication by the reconciler: downstream drops a trigger id it has seen.
 *
 * <p>Thread-safe, as {@link Publisher} is. The caller owns the publisher and shuts it down.
 */
public final class PubSubTriggerPublisher implements TriggerPublisher {
  private final Publisher publisher;

  /** Publishes through {@code publisher}, a publisher for the next phase's topic. */
  public PubSubTriggerPublisher(Publisher publisher) {
    this.publisher = requireNonNull(publisher, "publisher");
  }

  /**
   * Publishes {@code trigger}.
   *
   * @throws Exception if Pub/Sub did not accept it within 30 s; the tracker leaves the claim for
   *     the reconciler to re-publish with the same id
   */
  @Override
  public void publish(Trigger trigger) throws Exception {
    PubsubMessage message =
        PubsubMessage.newBuilder()
            .setData(ByteString.EMPTY)
            .putAttributes("trigger_id", trigger.id())
            .putAttributes("phase", trigger.key().phase())
            .putAttributes("game_date", trigger.key().date().toString())
            .putAttributes("reason", trigger.reason())
            .build();
    publisher.publish(message).get(30, TimeUnit.SECONDS);
  }
}
