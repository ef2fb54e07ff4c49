package dev.pipelinereliability.firestore.completion;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.firestore.FirestoreCallCounter;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tracker's calls to Firestore, counted on the client's channel on the emulator: a first
 * completion is 1 read and 1 write (the claim included when it completes the set), a duplicate 1
 * read and no write, the trigger confirmation 1 write; under contention every lost write costs
 * exactly one more read and one more write.
 */
class FirestoreCompletionCallsTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final PhaseConfig PHASE = PhaseConfig.of("phase3", "a", "b", "c", "d", "e");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE);
  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));

  private final FirestoreCallCounter calls = new FirestoreCallCounter();
  private Firestore client;

  @BeforeEach
  void countingClient() {
    if (FirestoreCallCounter.emulatorHostVariableSet()) {
      System.out.println(
          "FirestoreCompletionCallsTest skipped: FIRESTORE_EMULATOR_HOST is set, so the Firestore"
              + " client replaces the call-counting channel; unset it to count calls");
    }
    Assumptions.assumeFalse(
        FirestoreCallCounter.emulatorHostVariableSet(),
        "FIRESTORE_EMULATOR_HOST is set: calls cannot be counted on the channel");
    client = FirestoreCallCounter.client(EMULATOR.hostPort(), EMULATOR.projectId(), calls);
  }

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  private record Calls(long reads, long writes) {}

  private Calls now() {
    return new Calls(
        calls.calls(FirestoreCallCounter.READ), calls.calls(FirestoreCallCounter.WRITE));
  }

  private <T> T counted(Supplier<T> call, List<Calls> out) {
    Calls before = now();
    T result = call.get();
    Calls after = now();
    out.add(new Calls(after.reads() - before.reads(), after.writes() - before.writes()));
    return result;
  }

  @Test
  void firstCompletionIsOneReadAndOneWriteAndADuplicateOrStaleOneReadAndNoWrite() {
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(client, CONFIG, TriggerPublisher.NONE);
    List<Calls> first = new ArrayList<>();
    List<Calls> again = new ArrayList<>();

    for (String p : List.of("a", "b", "c", "d")) {
      RecordResult r = counted(() -> tracker.record(KEY, p, Completion.ofMessage(p)), first);
      assertThat(r.outcome()).isEqualTo(RecordOutcome.RECORDED);
    }
    for (String p : List.of("a", "b", "c", "d")) {
      RecordResult r = counted(() -> tracker.record(KEY, p, Completion.ofMessage(p)), again);
      assertThat(r.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    }
    List<Calls> fenced = new ArrayList<>();
    assertThat(counted(() -> tracker.record(KEY, "a", Completion.withToken(3)), fenced).outcome())
        .isEqualTo(RecordOutcome.RECORDED);
    assertThat(counted(() -> tracker.record(KEY, "a", Completion.withToken(2)), fenced).outcome())
        .isEqualTo(RecordOutcome.STALE);

    assertThat(first).containsOnly(new Calls(1, 1));
    assertThat(again).containsOnly(new Calls(1, 0));
    assertThat(fenced).containsExactly(new Calls(1, 1), new Calls(1, 0));
    assertThat(calls.failedCalls(FirestoreCallCounter.WRITE)).isZero();
  }

  @Test
  void theCompletingWriteCarriesTheClaimAndTheConfirmationIsOneWrite() {
    AtomicReference<Calls> atPublish = new AtomicReference<>();
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(client, CONFIG, t -> atPublish.set(now()));
    for (String p : List.of("a", "b", "c", "d")) {
      tracker.record(KEY, p, Completion.ofMessage(p));
    }
    Calls before = now();

    RecordResult last = tracker.record(KEY, "e", Completion.ofMessage("e"));

    Calls after = now();
    assertThat(last.wonTrigger()).isTrue();
    assertThat(atPublish.get())
        .as("calls up to the publish: the read and the write of the completion and claim")
        .isEqualTo(new Calls(before.reads() + 1, before.writes() + 1));
    Calls published = requireNonNull(atPublish.get(), "calls at the publish");
    assertThat(after)
        .as("the confirmation: one write, no read")
        .isEqualTo(new Calls(published.reads(), published.writes() + 1));
    assertThat(tracker.state(KEY).trigger().orElseThrow().confirmed()).isTrue();
  }

  @Test
  void underAnEightThreadBurstEveryLostWriteCostsOneMoreReadAndOneMoreWrite() throws Exception {
    List<String> deliveries = new ArrayList<>();
    for (String p : PHASE.expected()) {
      for (int i = 0; i < 20; i++) {
        deliveries.add(p);
      }
    }
    Collections.shuffle(deliveries, new Random(12));
    List<FirestoreCompletionTracker> instances = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      instances.add(FirestoreCompletionTracker.create(client, CONFIG, TriggerPublisher.NONE));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<RecordResult> results = new ArrayList<>();
    try {
      List<Future<RecordResult>> futures = new ArrayList<>();
      for (int i = 0; i < deliveries.size(); i++) {
        FirestoreCompletionTracker t = instances.get(i % 8);
        String p = deliveries.get(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return t.record(KEY, p, Completion.ofMessage("msg-" + p));
                }));
      }
      start.countDown();
      for (Future<RecordResult> f : futures) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    long lost = calls.failedCalls(FirestoreCallCounter.WRITE);
    System.out.println(
        "8-thread burst of 100 deliveries: " + calls.snapshot() + "; lost writes " + lost);
    assertThat(results.stream().filter(r -> r.outcome() == RecordOutcome.RECORDED)).hasSize(5);
    assertThat(results.stream().filter(RecordResult::wonTrigger)).hasSize(1);
    // 5 first completions and 1 confirmation land; each lost write was re-read and retried.
    assertThat(calls.calls(FirestoreCallCounter.WRITE) - lost).isEqualTo(6);
    assertThat(calls.calls(FirestoreCallCounter.READ)).isEqualTo(100 + lost);
    assertThat(calls.snapshot().keySet())
        .allSatisfy(
            k ->
                assertThat(k)
                    .isIn(
                        Set.of(
                            FirestoreCallCounter.READ,
                            FirestoreCallCounter.WRITE,
                            "Commit FAILED_PRECONDITION",
                            "Commit ALREADY_EXISTS",
                            "Commit ABORTED")));
  }
}
