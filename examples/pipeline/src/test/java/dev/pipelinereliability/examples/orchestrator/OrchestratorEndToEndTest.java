package dev.pipelinereliability.examples.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.testkit.emulator.PubSubEmulator;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Phase 3 -> Phase 4 orchestrator end to end on the Cloud SDK emulators this test starts: 5
 * processors' completions published 3 times each from 8 threads to the Pub/Sub emulator, consumed
 * by {@link PubSubOrchestrator}, recorded by {@link FirestoreCompletionTracker} on the Firestore
 * emulator. Exactly one Phase 4 trigger must reach the trigger topic.
 */
class OrchestratorEndToEndTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension FIRESTORE = FirestoreEmulatorExtension.create();

  private static final String PROJECT = "orchestrator-e2e";
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);

  /** The example pipeline's Phase 3 processors, from its pipeline file. */
  private static final List<String> PROCESSORS =
      List.copyOf(PipelineFile.example().phase("phase3").config().expected());

  private static PubSubEmulator pubsub;
  private static PubSubConnection connection;

  @BeforeAll
  static void startPubSub() {
    pubsub = PubSubEmulator.start();
    connection = PubSubConnection.emulator(pubsub.hostPort(), PROJECT);
    connection.createTopicAndSubscription("phase3-complete", "orchestrator");
    connection.createTopicAndSubscription("phase4-trigger", "phase4-listener");
  }

  @AfterAll
  static void stopPubSub() {
    if (connection != null) {
      connection.close();
    }
    if (pubsub != null) {
      pubsub.close();
    }
  }

  @Test
  void duplicateAndConcurrentDeliveriesFireExactlyOneTrigger() throws Exception {
    List<PubsubMessage> triggers = new CopyOnWriteArrayList<>();
    Subscriber phase4 =
        connection.subscriber(
            "phase4-listener",
            (message, reply) -> {
              triggers.add(message);
              reply.ack();
            });
    phase4.startAsync().awaitRunning(30, TimeUnit.SECONDS);
    Publisher triggerTopic = connection.publisher("phase4-trigger");
    Publisher completionTopic = connection.publisher("phase3-complete");
    // Counts the triggers the tracker publishes. It publishes inside record(), which returns
    // before a delivery counts as recorded, so once all deliveries are recorded the count is final.
    TriggerPublisher pubSubTriggers = new PubSubTriggerPublisher(triggerTopic);
    AtomicInteger published = new AtomicInteger();
    TriggerPublisher counting =
        trigger -> {
          pubSubTriggers.publish(trigger);
          published.incrementAndGet();
        };
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(
            FIRESTORE.firestore(),
            CompletionConfig.of(PhaseConfig.of("phase3", PROCESSORS)),
            counting);
    PubSubOrchestrator orchestrator =
        PubSubOrchestrator.start(connection, "orchestrator", new PhaseOrchestrator(tracker));
    try {
      publishEachThreeTimesFromEightThreads(new PubSubCompletionPublisher(completionTopic));

      waitUntil(() -> orchestrator.recorded() >= 15, Duration.ofSeconds(60));
      waitUntil(() -> !triggers.isEmpty(), Duration.ofSeconds(30));

      assertThat(orchestrator.recorded()).isEqualTo(15);
      assertThat(orchestrator.malformed()).isZero();
      assertThat(published).hasValue(1);
      assertThat(triggers).hasSize(1);
      PubsubMessage trigger = triggers.get(0);
      assertThat(trigger.getAttributesMap())
          .containsEntry("phase", "phase3")
          .containsEntry("game_date", DATE.toString())
          .containsKey("trigger_id");
      CompletionState state = tracker.state(CompletionKey.of("phase3", DATE));
      assertThat(state.completedCount()).isEqualTo(5);
      assertThat(state.storedCount()).hasValue(5);
      assertThat(state.triggered()).isTrue();
      assertThat(state.trigger().orElseThrow().id())
          .isEqualTo(trigger.getAttributesMap().get("trigger_id"));
    } finally {
      orchestrator.close();
      phase4.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
      triggerTopic.shutdown();
      completionTopic.shutdown();
    }
  }

  private static void publishEachThreeTimesFromEightThreads(PubSubCompletionPublisher publisher)
      throws Exception {
    List<CompletionMessage> deliveries = new ArrayList<>();
    long token = 1;
    for (String processor : PROCESSORS) {
      CompletionMessage message =
          new CompletionMessage("phase3", DATE, processor, "msg-" + processor, 348, token++);
      deliveries.add(message);
      deliveries.add(message);
      deliveries.add(message);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (CompletionMessage m : deliveries) {
        sent.add(
            pool.submit(
                () -> {
                  start.await();
                  publisher.publish(m);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for a condition the emulators reach in real time; fails the test at the deadline. */
  private static void waitUntil(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not reached within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
