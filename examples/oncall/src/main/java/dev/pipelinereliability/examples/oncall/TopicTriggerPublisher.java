package dev.pipelinereliability.examples.oncall;

import com.google.cloud.pubsub.v1.Publisher;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.examples.orchestrator.PubSubTriggerPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes each trigger on the topic the pipeline file names for its phase, through the example
 * orchestrator's {@link PubSubTriggerPublisher} (so the message carries the same {@code trigger_id}
 * attribute downstream de-duplicates by). A topic's publisher is created at its first trigger.
 * Thread-safe; {@link #close} shuts the publishers down.
 */
final class TopicTriggerPublisher implements TriggerPublisher, AutoCloseable {
  private final PipelineFile file;
  private final PubSubConnection pubsub;
  private final Map<String, Publisher> publishers = new LinkedHashMap<>();

  TopicTriggerPublisher(PipelineFile file, PubSubConnection pubsub) {
    this.file = file;
    this.pubsub = pubsub;
  }

  @Override
  public void publish(Trigger trigger) throws Exception {
    new PubSubTriggerPublisher(publisher(file.phase(trigger.key().phase()).triggerTopic()))
        .publish(trigger);
  }

  private synchronized Publisher publisher(String topic) {
    return publishers.computeIfAbsent(topic, pubsub::publisher);
  }

  @Override
  public synchronized void close() {
    for (Publisher p : publishers.values()) {
      p.shutdown();
      try {
        p.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
