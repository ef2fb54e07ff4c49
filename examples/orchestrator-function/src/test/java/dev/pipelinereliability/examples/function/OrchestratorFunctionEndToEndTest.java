package dev.pipelinereliability.examples.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.function.local.EventarcPubSub;
import dev.pipelinereliability.examples.function.local.LocalFunction;
import dev.pipelinereliability.examples.orchestrator.CompletionMessages;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.testkit.emulator.PubSubEmulator;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OrchestratorFunction} served over HTTP by the Functions Framework invoker in a JVM of its
 * own ({@link LocalFunction}), sent CloudEvents the way Eventarc posts Pub/Sub messages ({@link
 * EventarcPubSub}), recording in the Cloud SDK Firestore emulator and publishing triggers to the
 * Pub/Sub emulator, both started here and stopped at the end.
 */
class OrchestratorFunctionEndToEndTest {
  private static final String PROJECT = "orchestrator-function-e2e";
  private static final String TRIGGER_TOPIC = "phase4-trigger";
  private static final String TRIGGER_SUBSCRIPTION = "phase4-listener";

  /** The example pipeline's Phase 3 processors, from its pipeline file. */
  private static final List<String> PROCESSORS =
      List.copyOf(PipelineFile.example().phase("phase3").config().expected());

  private static final EventarcPubSub EVENTARC =
      new EventarcPubSub(PROJECT, "phase3-complete", "eventarc-orchestrator-sub");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private static FirestoreEmulator firestoreEmulator;
  private static PubSubEmulator pubsubEmulator;
  private static Firestore firestore;
  private static ManagedChannel pubsubChannel;
  private static SubscriberStub subscriber;
  private static LocalFunction function;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    firestoreEmulator =
        FirestoreEmulator.start(
            FirestoreEmulator.findCloudSdkJar()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "needs the Cloud SDK Firestore emulator: gcloud components install"
                                + " cloud-firestore-emulator")));
    pubsubEmulator = PubSubEmulator.start();
    try (PubSubConnection admin = PubSubConnection.emulator(pubsubEmulator.hostPort(), PROJECT)) {
      admin.createTopicAndSubscription(TRIGGER_TOPIC, TRIGGER_SUBSCRIPTION);
    }
    firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(firestoreEmulator.hostPort())
            .build()
            .getService();
    pubsubChannel =
        ManagedChannelBuilder.forTarget(pubsubEmulator.hostPort()).usePlaintext().build();
    subscriber =
        GrpcSubscriberStub.create(
            SubscriberStubSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(
                        GrpcTransportChannel.create(pubsubChannel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    function = startFunction(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (function != null) {
      function.close();
    }
    if (subscriber != null) {
      subscriber.close();
    }
    if (pubsubChannel != null) {
      pubsubChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (firestore != null) {
      firestore.close();
    }
    if (pubsubEmulator != null) {
      pubsubEmulator.close();
    }
    if (firestoreEmulator != null) {
      firestoreEmulator.close();
    }
  }

  @BeforeEach
  void clean() {
    firestoreEmulator.clear(PROJECT);
    drainTriggers();
  }

  @Test
  void fiveProcessorsDeliveredThreeTimesFromEightThreadsFireExactlyOneTrigger() throws Exception {
    LocalDate date = LocalDate.of(2026, 2, 3);
    List<PubsubMessage> deliveries = new ArrayList<>();
    long token = 1;
    for (String processor : PROCESSORS) {
      PubsubMessage published = published(completion(date, processor, token++), "pubsub-" + token);
      deliveries.add(published);
      deliveries.add(published); // Pub/Sub redelivers a message with its id unchanged.
      deliveries.add(published);
    }

    List<Integer> statuses = deliverConcurrently(deliveries, 8);

    assertThat(statuses).hasSize(15).allMatch(s -> s == 200);
    // Every response came after record() returned, and a won trigger is published (and accepted
    // by Pub/Sub) inside record(): all triggers that will ever exist are on the topic now.
    List<PubsubMessage> triggers = drainTriggers();
    assertThat(triggers).hasSize(1);
    assertThat(triggers.get(0).getAttributesMap())
        .containsEntry("phase", "phase3")
        .containsEntry("game_date", date.toString());
    CompletionState state = state(date);
    assertThat(state.completedCount()).isEqualTo(5);
    assertThat(state.storedCount()).hasValue(5);
    assertThat(state.triggered()).isTrue();
    assertThat(state.trigger().orElseThrow().id())
        .isEqualTo(triggers.get(0).getAttributesMap().get("trigger_id"));
  }

  @Test
  void aFailingStoreAnswersNon2xxAndTheRedeliveryRecords() throws Exception {
    LocalDate date = LocalDate.of(2026, 2, 4);
    PubsubMessage message = published(completion(date, PROCESSORS.get(0), 7), "pubsub-fail-1");

    firestoreEmulator.pause();
    int failed;
    try {
      failed = deliver(message);
    } finally {
      firestoreEmulator.resume();
    }
    assertThat(failed).isEqualTo(500);
    assertThat(state(date).completed()).isEmpty();

    int redelivered = deliver(message);

    assertThat(redelivered).isEqualTo(200);
    CompletionState state = state(date);
    assertThat(state.completed()).containsExactly(PROCESSORS.get(0));
    assertThat(state.triggered()).isFalse();
    assertThat(function.output()).contains("Could not record message pubsub-fail-1");
  }

  @Test
  void aDuplicateDeliveryAnswers2xxAndWritesNothing() throws Exception {
    LocalDate date = LocalDate.of(2026, 2, 7);
    PubsubMessage message = published(completion(date, PROCESSORS.get(2), 3), "pubsub-dup-1");
    assertThat(deliver(message)).isEqualTo(200);
    DocumentSnapshot before = document(date);

    assertThat(deliver(message)).isEqualTo(200);

    DocumentSnapshot after = document(date);
    assertThat(after.getUpdateTime()).isEqualTo(before.getUpdateTime());
    assertThat(state(date).completed()).containsExactly(PROCESSORS.get(2));
  }

  @Test
  void malformedEventsAnswer2xxAndWriteNothing() throws Exception {
    LocalDate date = LocalDate.of(2026, 2, 5);
    PubsubMessage missingProcessor =
        published(completion(date, PROCESSORS.get(0), 1), "pubsub-bad-1").toBuilder()
            .removeAttributes("processor")
            .build();
    PubsubMessage badDate =
        published(completion(date, PROCESSORS.get(1), 1), "pubsub-bad-2").toBuilder()
            .putAttributes("game_date", "03/02/2026")
            .build();

    assertThat(deliver(missingProcessor)).isEqualTo(200);
    assertThat(deliver(badDate)).isEqualTo(200);
    assertThat(send(EVENTARC.raw(function.uri(), "pubsub-bad-3", "not json", REQUEST_TIMEOUT)))
        .isEqualTo(200);
    assertThat(send(EVENTARC.raw(function.uri(), "pubsub-bad-4", "{\"x\":1}", REQUEST_TIMEOUT)))
        .isEqualTo(200);

    assertThat(firestore.collection("phase3_completion").get().get().isEmpty()).isTrue();
    assertThat(drainTriggers()).isEmpty();
    assertThat(function.output())
        .contains("Acknowledging unreadable completion event pubsub-bad-1")
        .contains("lacks attribute 'processor'")
        .contains("Acknowledging unreadable completion event pubsub-bad-2")
        .contains("game_date must be yyyy-MM-dd, but was '03/02/2026'")
        .contains("Acknowledging unreadable completion event pubsub-bad-3")
        .contains("Acknowledging unreadable completion event pubsub-bad-4");
  }

  @Test
  void aBadConfigurationStartsButFailsTheFirstEventNamingTheVariable() throws Exception {
    LocalDate date = LocalDate.of(2026, 2, 6);
    try (LocalFunction misconfigured =
        startFunction(Map.of(FunctionConfig.TRIGGER_TOPIC, "x"))) { // too short for a topic id
      HttpResponse<String> response =
          http.send(
              EVENTARC.request(
                  misconfigured.uri(),
                  published(completion(date, PROCESSORS.get(0), 1), "pubsub-cfg-1"),
                  REQUEST_TIMEOUT),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(misconfigured.output())
          .contains("orchestrator function is misconfigured")
          .contains("ORCHESTRATOR_TRIGGER_TOPIC must be a Pub/Sub topic id")
          .contains("'x'");
    }
    assertThat(state(date).completed()).isEmpty();
  }

  private static LocalFunction startFunction(Map<String, String> overrides) throws Exception {
    Map<String, String> environment =
        LocalFunction.environment(
            Map.of(
                FunctionConfig.PROJECT,
                PROJECT,
                FunctionConfig.PHASE,
                "phase3",
                FunctionConfig.PROCESSORS,
                String.join(",", PROCESSORS),
                FunctionConfig.TRIGGER_TOPIC,
                TRIGGER_TOPIC,
                FunctionConfig.RPC_TIMEOUT_SECONDS,
                "2",
                FunctionConfig.FIRESTORE_EMULATOR_HOST,
                firestoreEmulator.hostPort(),
                FunctionConfig.PUBSUB_EMULATOR_HOST,
                pubsubEmulator.hostPort()),
            overrides);
    LocalFunction started =
        LocalFunction.start(
            OrchestratorFunction.class.getName(),
            System.getProperty("java.class.path"),
            LocalFunction.functionClasspath(
                Path.of(System.getProperty("function.classes")),
                Path.of(System.getProperty("function.classpath.file"))),
            environment,
            List.of("-Xmx256m"));
    try {
      started.awaitListening(Duration.ofSeconds(60));
    } catch (RuntimeException | InterruptedException e) {
      started.close();
      throw e;
    }
    return started;
  }

  private static CompletionMessage completion(LocalDate date, String processor, long token) {
    return new CompletionMessage("phase3", date, processor, "run-" + processor, 348, token);
  }

  /** The message as Pub/Sub hands it to Eventarc: with its server-assigned id and publish time. */
  private static PubsubMessage published(CompletionMessage completion, String messageId) {
    return CompletionMessages.toPubsub(completion).toBuilder()
        .setMessageId(messageId)
        .setPublishTime(Timestamp.now().toProto())
        .build();
  }

  private static int deliver(PubsubMessage message) throws Exception {
    return send(EVENTARC.request(function.uri(), message, REQUEST_TIMEOUT));
  }

  private static int send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static List<Integer> deliverConcurrently(List<PubsubMessage> deliveries, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (PubsubMessage m : deliveries) {
        sent.add(
            pool.submit(
                () -> {
                  go.await();
                  return deliver(m);
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : sent) {
        statuses.add(f.get(120, TimeUnit.SECONDS));
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Pulls and acknowledges every message on the trigger subscription until the emulator answers
   * empty. Its publish call returned before the function answered, so nothing is in flight.
   */
  @SuppressWarnings("deprecation") // returnImmediately: a pull that does not wait for messages
  private static List<PubsubMessage> drainTriggers() {
    String subscription = ProjectSubscriptionName.format(PROJECT, TRIGGER_SUBSCRIPTION);
    List<PubsubMessage> all = new ArrayList<>();
    while (true) {
      PullResponse response =
          subscriber
              .pullCallable()
              .call(
                  PullRequest.newBuilder()
                      .setSubscription(subscription)
                      .setMaxMessages(100)
                      .setReturnImmediately(true)
                      .build());
      if (response.getReceivedMessagesCount() == 0) {
        return all;
      }
      AcknowledgeRequest.Builder ack =
          AcknowledgeRequest.newBuilder().setSubscription(subscription);
      for (ReceivedMessage received : response.getReceivedMessagesList()) {
        all.add(received.getMessage());
        ack.addAckIds(received.getAckId());
      }
      subscriber.acknowledgeCallable().call(ack.build());
    }
  }

  private static DocumentSnapshot document(LocalDate date) throws Exception {
    DocumentSnapshot snapshot =
        firestore.collection("phase3_completion").document(date.toString()).get().get();
    assertThat(snapshot.exists()).isTrue();
    return snapshot;
  }

  private static CompletionState state(LocalDate date) {
    FirestoreCompletionTracker reader =
        FirestoreCompletionTracker.create(
            firestore,
            CompletionConfig.of(PhaseConfig.of("phase3", PROCESSORS)),
            trigger -> {
              throw new AssertionError("the test only reads");
            });
    return reader.state(CompletionKey.of("phase3", date));
  }
}
