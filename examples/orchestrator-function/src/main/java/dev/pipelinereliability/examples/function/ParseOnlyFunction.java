package dev.pipelinereliability.examples.function;

import com.google.cloud.functions.CloudEventsFunction;
import dev.pipelinereliability.examples.orchestrator.CompletionMessages;
import io.cloudevents.CloudEvent;

/**
 * The floor the orchestrator's cold start is compared with: a function that reads the completion
 * message out of the event exactly as {@link OrchestratorFunction} does, and records nothing. What
 * it costs is the JVM, the Functions Framework and the parsing; whatever {@link
 * OrchestratorFunction} costs beyond it is the library and its clients.
 *
 * <p>Stateless and thread-safe.
 */
public final class ParseOnlyFunction implements CloudEventsFunction {
  /** Created by the Functions Framework. */
  public ParseOnlyFunction() {}

  /**
   * Reads the completion message and drops it.
   *
   * @param event the Pub/Sub CloudEvent
   * @throws IllegalArgumentException if the event is not a readable completion message
   */
  @Override
  public void accept(CloudEvent event) {
    CompletionMessages.fromPubsub(PubSubEvents.message(event));
  }
}
