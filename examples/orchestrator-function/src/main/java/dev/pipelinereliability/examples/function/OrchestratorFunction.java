package dev.pipelinereliability.examples.function;

import com.google.cloud.ServiceOptions;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.examples.orchestrator.CompletionMessages;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Phase 3 -> Phase 4 orchestrator as a Cloud Function (2nd gen): a {@link CloudEventsFunction}
 * on the Java Functions Framework, triggered by the completion topic through Eventarc. Each event
 * is one delivery of a completion message, recorded by {@link
 * dev.pipelinereliability.examples.orchestrator.PhaseOrchestrator} in a {@link
 * dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker}, which publishes the
 * next phase's trigger exactly once.
 *
 * <p>Delivery semantics, matching Pub/Sub's (deploy with {@code --retry}; see the README):
 *
 * <ul>
 *   <li>{@link #accept} returns normally only after the tracker's {@code record()} returned: the
 *       framework then answers 2xx and Pub/Sub drops the message.
 *   <li>If recording fails (Firestore unreachable or slow, a trigger publish failed), {@link
 *       #accept} throws; the framework answers 500 and, with {@code --retry}, Pub/Sub redelivers
 *       the message with backoff. A completion is never lost to a cold start or a timeout. A
 *       trigger whose publish failed stays claimed but unconfirmed; the reconciler, not a
 *       redelivery, publishes it again with the same id.
 *   <li>An event that can never be read (not a Pub/Sub event, no data, a missing or malformed
 *       attribute) is logged with its id and acknowledged: retrying it would fail forever.
 *   <li>A duplicate delivery costs one Firestore read and writes nothing.
 * </ul>
 *
 * <p>Clients are static state built once per instance, in the background from the moment the
 * framework creates the function (see {@link #OrchestratorFunction()}), or on the first event if
 * that is switched off. A bad configuration (see {@link FunctionConfig}) does not fail the deploy
 * but fails the first event with a message naming the variable, and every later event until it is
 * fixed, so no message is dropped meanwhile. The clients are closed when the instance's JVM shuts
 * down.
 *
 * <p>Thread-safe: one instance may run several events at once.
 */
public final class OrchestratorFunction implements CloudEventsFunction {
  private static final Logger log = LoggerFactory.getLogger(OrchestratorFunction.class);
  private static final Object LOCK = new Object();
  private static @Nullable CompletableFuture<OrchestratorRuntime> building; // guarded by LOCK

  /**
   * Created by the Functions Framework, once per instance, before the instance takes requests.
   * Unless {@value FunctionConfig#WARM_UP} is {@code false}, starts building the clients on a
   * background thread and then opens the Firestore channel with one read, so that this work
   * overlaps the framework's own start and the first event's parsing instead of following them. A
   * failure there is not thrown here (it would fail the deploy) but by the first event.
   */
  public OrchestratorFunction() {
    if (!"false".equalsIgnoreCase(System.getenv(FunctionConfig.WARM_UP))) {
      // Its failure is thrown by the first event, which awaits the same future.
      var unused = building();
    }
  }

  /**
   * Records one delivery of a completion message.
   *
   * @param event the Pub/Sub CloudEvent Eventarc delivered
   * @throws IllegalStateException if the configuration is invalid or the clients cannot be built;
   *     the message names the cause
   * @throws dev.pipelinereliability.ReliabilityException if the tracker could not record the
   *     completion; Pub/Sub redelivers the message
   */
  @Override
  public void accept(CloudEvent event) {
    PubsubMessage message;
    CompletionMessage completion;
    try {
      message = PubSubEvents.message(event);
      completion = CompletionMessages.fromPubsub(message);
    } catch (IllegalArgumentException e) {
      log.error(
          "Acknowledging unreadable completion event {} without recording it: {}",
          event.getId(),
          e.getMessage());
      return;
    }
    RecordResult result;
    try {
      result = runtime().orchestrator().onCompletion(completion);
    } catch (RuntimeException e) {
      log.warn(
          "Could not record message {} ({}); failing the delivery so that Pub/Sub retries it",
          message.getMessageId(),
          completion);
      throw e;
    }
    switch (result.outcome()) {
      case STALE, UNEXPECTED ->
          log.warn(
              "Message {}: {} {} for {}; nothing written",
              message.getMessageId(),
              result.outcome(),
              completion.processor(),
              result.key());
      case RECORDED, DUPLICATE -> {
        if (result.wonTrigger()) {
          log.info(
              "Message {} completed {}: trigger {} published",
              message.getMessageId(),
              result.key(),
              result.trigger().orElseThrow().id());
        }
      }
    }
  }

  /** The instance's runtime, waiting for the build in progress or starting one. */
  private static OrchestratorRuntime runtime() {
    try {
      return building().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The build of this instance's runtime: the one in progress or done, or a new one if there is
   * none or the last one failed (a failure is not kept: the next event tries again).
   */
  private static CompletableFuture<OrchestratorRuntime> building() {
    synchronized (LOCK) {
      CompletableFuture<OrchestratorRuntime> current = building;
      if (current == null || current.isCompletedExceptionally()) {
        CompletableFuture<OrchestratorRuntime> result = new CompletableFuture<>();
        building = result;
        current = result;
        Thread builder =
            new Thread(
                () -> {
                  try {
                    OrchestratorRuntime built = build();
                    result.complete(built);
                    built.warmUp();
                  } catch (Throwable e) {
                    log.warn(
                        "Could not build the orchestrator's clients; events fail until it can", e);
                    result.completeExceptionally(e);
                  }
                },
                "orchestrator-function-init");
        builder.setDaemon(true);
        builder.start();
      }
      return current;
    }
  }

  private static OrchestratorRuntime build() {
    FunctionConfig config;
    try {
      config = FunctionConfig.fromEnvironment(System.getenv(), ServiceOptions::getDefaultProjectId);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "orchestrator function is misconfigured: " + e.getMessage(), e);
    }
    OrchestratorRuntime started = OrchestratorRuntime.start(config);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(started::close, "orchestrator-function-shutdown"));
    return started;
  }
}
