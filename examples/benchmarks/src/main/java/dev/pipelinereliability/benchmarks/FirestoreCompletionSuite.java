package dev.pipelinereliability.benchmarks;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Completion tracking on the Firestore emulator: 10 processors x 8 duplicate deliveries (80
 * messages, shuffled) on 8 threads, recorded two ways in the same run:
 *
 * <ul>
 *   <li>baseline, the seed orchestrator's way: a {@code runTransaction} that reads the document,
 *       adds the processor, increments the stored {@code _completed_count}, and sets {@code
 *       _triggered} when the count reaches 10;
 *   <li>{@link FirestoreCompletionTracker}: merge write of the processor field, then an {@code
 *       updatedAt} compare-and-set for the derived count and the trigger claim; also with fencing
 *       tokens, where every first write is a compare-and-set.
 * </ul>
 *
 * <p>Figures: failed deliveries (the call threw), lost completions (expected processors missing
 * from the final document: nothing redelivers them), triggers fired, count drift (stored minus
 * derived), wall time, and the speed ratio baseline / tracker. The tracker is run 3 times on fresh
 * documents and its median wall time is used.
 *
 * <p>Needs the Cloud SDK Firestore emulator ({@code gcloud} on the PATH); it starts one and stops
 * it.
 */
final class FirestoreCompletionSuite implements Suite {
  private static final int PROCESSORS = 10;
  private static final int DUPLICATES = 8;
  private static final int THREADS = 8;
  private static final int TRACKER_RUNS = 3;

  private static final PhaseConfig PHASE =
      PhaseConfig.of(
          "phase3",
          java.util.stream.IntStream.range(0, PROCESSORS).mapToObj(i -> "processor_" + i).toList());

  /** What one way of recording did with the 80 deliveries. */
  private record Outcome(
      long wallMillis, int failedDeliveries, int lostCompletions, int triggers, long countDrift) {}

  @Override
  public void run(Results results) throws Exception {
    java.nio.file.Path jar =
        FirestoreEmulator.findCloudSdkJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the completion suite needs the Cloud SDK Firestore emulator"
                            + " (gcloud components install cloud-firestore-emulator)"));
    try (FirestoreEmulator emulator = FirestoreEmulator.start(jar)) {
      Firestore firestore =
          FirestoreOptions.newBuilder()
              .setProjectId("bench-completion")
              .setEmulatorHost(emulator.hostPort())
              .build()
              .getService();
      try {
        measure(results, firestore);
      } finally {
        close(firestore);
      }
    }
  }

  private static void close(Firestore firestore) {
    try {
      firestore.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The emulator stops next; a client that failed to close leaks nothing beyond this run.
    }
  }

  private void measure(Results results, Firestore firestore) throws Exception {
    List<String> deliveries = deliveries();
    // Warm the client and the emulator so neither side pays for first contact.
    firestore.collection("warmup").document("w").set(Map.of("a", 1)).get();

    results.note("baseline: runTransaction read / increment stored counter / write");
    Outcome seed = seedTransactions(firestore, deliveries);
    report(results, "completion_seed_transaction", seed);

    List<Outcome> runs = new ArrayList<>();
    for (int run = 0; run < TRACKER_RUNS; run++) {
      runs.add(tracker(firestore, deliveries, LocalDate.of(2026, 2, 1 + run), false));
    }
    runs.sort((a, b) -> Long.compare(a.wallMillis(), b.wallMillis()));
    Outcome median = runs.get(TRACKER_RUNS / 2);
    Outcome worst =
        new Outcome(
            median.wallMillis(),
            runs.stream().mapToInt(Outcome::failedDeliveries).max().orElseThrow(),
            runs.stream().mapToInt(Outcome::lostCompletions).max().orElseThrow(),
            runs.stream().mapToInt(Outcome::triggers).filter(t -> t != 1).findFirst().orElse(1),
            runs.stream().mapToLong(Outcome::countDrift).filter(d -> d != 0).findFirst().orElse(0));
    results.note(
        "tracker: merge write + updatedAt compare-and-set; median of "
            + TRACKER_RUNS
            + " runs, worst counts across runs");
    report(results, "completion_tracker", worst);
    Outcome fenced = tracker(firestore, deliveries, LocalDate.of(2026, 3, 1), true);
    results.note("tracker with fencing tokens: every first write is a compare-and-set");
    report(results, "completion_tracker_fenced", fenced);

    results.report(
        "completion_tracker_speedup",
        (double) seed.wallMillis() / Math.max(1, median.wallMillis()),
        "x_vs_transaction");
    results.report(
        "completion_tracker_fenced_speedup",
        (double) seed.wallMillis() / Math.max(1, fenced.wallMillis()),
        "x_vs_transaction");
  }

  private static void report(Results results, String name, Outcome o) {
    results.report(name + "_wall", o.wallMillis(), "ms");
    results.report(name + "_failed_deliveries", o.failedDeliveries(), "of_80");
    results.report(name + "_lost_completions", o.lostCompletions(), "of_10");
    results.report(name + "_triggers", o.triggers(), "count");
    results.report(name + "_count_drift", o.countDrift(), "stored_minus_derived");
  }

  private static List<String> deliveries() {
    List<String> out = new ArrayList<>();
    for (String p : PHASE.expected()) {
      for (int i = 0; i < DUPLICATES; i++) {
        out.add(p);
      }
    }
    Collections.shuffle(out, new Random(7));
    return out;
  }

  private Outcome seedTransactions(Firestore firestore, List<String> deliveries) throws Exception {
    DocumentReference doc = firestore.collection("seed_phase3_completion").document("2026-02-03");
    List<Callable<Boolean>> calls = new ArrayList<>();
    for (String processor : deliveries) {
      calls.add(
          () ->
              firestore
                  .runTransaction(
                      tx -> {
                        DocumentSnapshot snap = tx.get(doc).get();
                        Map<String, Object> current =
                            snap.exists() ? new HashMap<>(snap.getData()) : new HashMap<>();
                        if (current.containsKey(processor)) {
                          return false;
                        }
                        current.put(
                            processor,
                            Map.of("completed_at", Timestamp.now(), "status", "success"));
                        long count =
                            (current.get("_completed_count") instanceof Number n
                                    ? n.longValue()
                                    : 0)
                                + 1;
                        current.put("_completed_count", count);
                        current.put("_last_update", FieldValue.serverTimestamp());
                        boolean fire =
                            count >= PROCESSORS && !Boolean.TRUE.equals(current.get("_triggered"));
                        if (fire) {
                          current.put("_triggered", true);
                          current.put("_trigger_reason", "all_complete");
                        }
                        tx.set(doc, current);
                        return fire;
                      })
                  .get());
    }
    Timed<Boolean> timed = runConcurrently(calls);
    DocumentSnapshot end = doc.get().get();
    int present = 0;
    for (String p : PHASE.expected()) {
      if (end.contains(p)) {
        present++;
      }
    }
    long stored = end.getLong("_completed_count") == null ? 0 : end.getLong("_completed_count");
    int triggers = (int) timed.values().stream().filter(Boolean::booleanValue).count();
    return new Outcome(
        timed.wallMillis(), timed.failures(), PROCESSORS - present, triggers, stored - present);
  }

  private Outcome tracker(
      Firestore firestore, List<String> deliveries, LocalDate date, boolean fenced)
      throws Exception {
    RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(firestore, CompletionConfig.of(PHASE), publisher);
    CompletionKey key = CompletionKey.of("phase3", date);
    List<Callable<RecordResult>> calls = new ArrayList<>();
    for (String processor : deliveries) {
      Completion c =
          fenced
              ? Completion.builder().messageId("msg-" + processor).fencingToken(1).build()
              : Completion.ofMessage("msg-" + processor);
      calls.add(() -> tracker.record(key, processor, c));
    }
    Timed<RecordResult> timed = runConcurrently(calls);
    CompletionState end = tracker.state(key);
    int triggers = (int) timed.values().stream().filter(RecordResult::wonTrigger).count();
    if (triggers != publisher.published().size()) {
      throw new IllegalStateException(
          triggers + " winners but " + publisher.published().size() + " published triggers");
    }
    long stored = end.storedCount().isPresent() ? end.storedCount().getAsInt() : 0;
    return new Outcome(
        timed.wallMillis(),
        timed.failures(),
        end.missing().size(),
        triggers,
        stored - end.completedCount());
  }

  private record Timed<T>(long wallMillis, int failures, List<T> values) {}

  private static <T> Timed<T> runConcurrently(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      long begin = System.nanoTime();
      start.countDown();
      List<T> values = new ArrayList<>();
      int failures = 0;
      for (Future<T> f : futures) {
        try {
          values.add(f.get(10, TimeUnit.MINUTES));
        } catch (java.util.concurrent.ExecutionException e) {
          failures++;
        }
      }
      long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      return new Timed<>(wall, failures, values);
    } finally {
      pool.shutdownNow();
    }
  }
}
