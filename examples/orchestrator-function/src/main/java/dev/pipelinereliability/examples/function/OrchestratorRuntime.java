package dev.pipelinereliability.examples.function;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.examples.orchestrator.PhaseOrchestrator;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.examples.orchestrator.PubSubTriggerPublisher;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients one function instance keeps between events: a Firestore client, the trigger topic's
 * publisher, and the tracker and orchestrator over them. Built once per instance from a {@link
 * FunctionConfig}; closed when the instance shuts down.
 *
 * <p>Thread-safe: the clients are, and Cloud Functions (2nd gen) may run several events of one
 * instance at once.
 */
final class OrchestratorRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrchestratorRuntime.class);

  private final Firestore firestore;
  private final PubSubConnection pubsub;
  private final Publisher publisher;
  private final FirestoreCompletionTracker tracker;
  private final PhaseOrchestrator orchestrator;
  private final String phase;

  private OrchestratorRuntime(
      Firestore firestore,
      PubSubConnection pubsub,
      Publisher publisher,
      FirestoreCompletionTracker tracker,
      String phase) {
    this.firestore = firestore;
    this.pubsub = pubsub;
    this.publisher = publisher;
    this.tracker = tracker;
    this.orchestrator = new PhaseOrchestrator(tracker);
    this.phase = phase;
  }

  /**
   * Builds the clients for {@code config}. Makes no network call: gRPC connects on first use.
   *
   * @throws RuntimeException if a client cannot be created; whatever was created is closed
   */
  static OrchestratorRuntime start(FunctionConfig config) {
    long started = System.nanoTime();
    FirestoreOptions.Builder options =
        FirestoreOptions.newBuilder().setProjectId(config.projectId());
    config
        .firestoreEmulatorHost()
        .ifPresent(
            host ->
                // The emulator's credentials: without them the options still look up Application
                // Default Credentials, which pings the metadata server from a local run.
                options
                    .setEmulatorHost(host)
                    .setCredentials(new FirestoreOptions.EmulatorCredentials()));
    Firestore firestore = options.build().getService();
    long firestoreBuilt = System.nanoTime();
    PubSubConnection pubsub = null;
    try {
      pubsub =
          config
              .pubSubEmulatorHost()
              .map(host -> PubSubConnection.emulator(host, config.projectId()))
              .orElseGet(() -> PubSubConnection.production(config.projectId()));
      Publisher publisher = pubsub.publisher(config.triggerTopic());
      long publisherBuilt = System.nanoTime();
      FirestoreCompletionTracker tracker =
          FirestoreCompletionTracker.builder(
                  firestore,
                  CompletionConfig.of(config.phase()),
                  new PubSubTriggerPublisher(publisher))
              .rpcTimeout(config.rpcTimeout())
              .build();
      OrchestratorRuntime runtime =
          new OrchestratorRuntime(firestore, pubsub, publisher, tracker, config.phase().phase());
      log.info(
          "Orchestrator for {} built in {} ms (Firestore client {} ms, trigger publisher {} ms)",
          config.phase().phase(),
          millis(started, System.nanoTime()),
          millis(started, firestoreBuilt),
          millis(firestoreBuilt, publisherBuilt));
      return runtime;
    } catch (RuntimeException e) {
      if (pubsub != null) {
        pubsub.close();
      }
      closeQuietly(firestore);
      throw e;
    }
  }

  /**
   * Opens the Firestore channel with one read of a document of the phase's collection (the one of
   * 1970-01-01), without waiting for the answer: the first event then finds the connection made and
   * the read path's classes loaded. A read failure is logged and otherwise ignored; the first event
   * that needs the store reports it.
   */
  void warmUp() {
    long started = System.nanoTime();
    ApiFutures.addCallback(
        tracker.document(CompletionKey.of(phase, LocalDate.EPOCH)).get(),
        new ApiFutureCallback<DocumentSnapshot>() {
          @Override
          public void onSuccess(DocumentSnapshot snapshot) {
            log.info(
                "Firestore warm-up read answered in {} ms", millis(started, System.nanoTime()));
          }

          @Override
          public void onFailure(Throwable t) {
            log.warn("Firestore warm-up read failed; the first event will retry: {}", t.toString());
          }
        },
        MoreExecutors.directExecutor());
  }

  /** The orchestrator that records deliveries. */
  PhaseOrchestrator orchestrator() {
    return orchestrator;
  }

  /** Flushes and shuts the publisher down, then closes the Pub/Sub channel and Firestore client. */
  @Override
  public void close() {
    publisher.shutdown();
    try {
      publisher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pubsub.close();
    closeQuietly(firestore);
  }

  private static void closeQuietly(Firestore firestore) {
    try {
      firestore.close();
    } catch (Exception e) {
      log.warn("Could not close the Firestore client", e);
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
