package dev.pipelinereliability.benchmarks;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.testkit.firestore.FirestoreCallCounter;
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
 * Completion tracking on the Firestore emulator, in two parts.
 *
 * <p><b>Calls per delivery</b> (single-threaded, counted on the client's channel by {@link
 * FirestoreCallCounter}, so they are what the emulator received): 20 keys of 10 processors, each
 * processor recorded once and then delivered again. Reads and writes per first completion, per
 * duplicate, and per trigger confirmation (the calls after the publisher ran).
 *
 * <p><b>Burst, baseline and tracker interleaved</b>: 10 processors x 8 duplicate deliveries (80
 * messages, shuffled) on 8 threads, recorded in each of 5 rounds (-Dcompletion.rounds) first the
 * legacy orchestrator's way, a {@code runTransaction} that reads the document, adds the processor,
 * increments the stored {@code _completed_count} and sets {@code _triggered} at 10, then by {@link
 * FirestoreCompletionTracker}, each on a fresh document. Interleaving gives both the same machine
 * load; the median and the range over the rounds say how much a single run can mislead. Also:
 * failed deliveries (the call threw), lost completions (expected processors missing from the final
 * document), triggers, {@code RECORDED} answers (exactly 10 per round), stored-minus-derived count,
 * and the tracker's lost writes (compare-and-set retries) per delivery.
 *
 * <p>Needs the Cloud SDK Firestore emulator ({@code gcloud} on the PATH); it starts one and stops
 * it.
 */
final class FirestoreCompletionSuite implements Suite {
  private static final int PROCESSORS = 10;
  private static final int DUPLICATES = 8;
  private static final int THREADS = 8;
  private static final int SINGLE_THREADED_KEYS = 20;

  private final int rounds = Integer.getInteger("completion.rounds", 5);

  private static final PhaseConfig PHASE =
      PhaseConfig.of(
          "phase3",
          java.util.stream.IntStream.range(0, PROCESSORS).mapToObj(i -> "processor_" + i).toList());

  /** What one way of recording did with the 80 deliveries. */
  private record Outcome(
      long wallMillis,
      int failedDeliveries,
      int lostCompletions,
      int triggers,
      long countDrift,
      int recordedAnswers,
      long reads,
      long writes,
      long lostWrites) {}

  @Override
  public void run(Results results) throws Exception {
    if (System.getenv("FIRESTORE_EMULATOR_HOST") != null) {
      throw new IllegalStateException(
          "unset FIRESTORE_EMULATOR_HOST: the Firestore client would then replace the"
              + " call-counting channel this suite needs with its own");
    }
    java.nio.file.Path jar =
        FirestoreEmulator.findCloudSdkJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the completion suite needs the Cloud SDK Firestore emulator"
                            + " (gcloud components install cloud-firestore-emulator)"));
    try (FirestoreEmulator emulator = FirestoreEmulator.start(jar)) {
      FirestoreCallCounter calls = new FirestoreCallCounter();
      Firestore firestore =
          FirestoreCallCounter.client(emulator.hostPort(), "bench-completion", calls);
      try {
        // Warm the client and the emulator so neither side pays for first contact.
        firestore.collection("warmup").document("w").set(Map.of("a", 1)).get();
        callsPerDelivery(results, firestore, calls);
        interleavedRounds(results, firestore, calls);
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

  private void callsPerDelivery(Results results, Firestore firestore, FirestoreCallCounter calls) {
    long[] atPublish = new long[2];
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(
            firestore,
            CompletionConfig.of(PHASE),
            t -> {
              atPublish[0] = calls.calls(FirestoreCallCounter.READ);
              atPublish[1] = calls.calls(FirestoreCallCounter.WRITE);
            });
    long[] first = new long[2];
    long[] duplicate = new long[2];
    long[] confirm = new long[2];
    int firsts = 0;
    int duplicates = 0;
    int triggers = 0;
    for (int k = 0; k < SINGLE_THREADED_KEYS; k++) {
      CompletionKey key = CompletionKey.of("phase3", LocalDate.of(2025, 1, 1).plusDays(k));
      for (String p : PHASE.expected()) {
        long r0 = calls.calls(FirestoreCallCounter.READ);
        long w0 = calls.calls(FirestoreCallCounter.WRITE);
        RecordResult r = tracker.record(key, p, Completion.ofMessage("msg-" + p));
        long r1 = calls.calls(FirestoreCallCounter.READ);
        long w1 = calls.calls(FirestoreCallCounter.WRITE);
        check(r.outcome() == RecordOutcome.RECORDED, "first delivery of " + p + ": " + r.outcome());
        firsts++;
        if (r.wonTrigger()) {
          triggers++;
          first[0] += atPublish[0] - r0;
          first[1] += atPublish[1] - w0;
          confirm[0] += r1 - atPublish[0];
          confirm[1] += w1 - atPublish[1];
        } else {
          first[0] += r1 - r0;
          first[1] += w1 - w0;
        }
        long r2 = calls.calls(FirestoreCallCounter.READ);
        long w2 = calls.calls(FirestoreCallCounter.WRITE);
        RecordResult again = tracker.record(key, p, Completion.ofMessage("msg-" + p));
        check(again.outcome() == RecordOutcome.DUPLICATE, "redelivery: " + again.outcome());
        duplicates++;
        duplicate[0] += calls.calls(FirestoreCallCounter.READ) - r2;
        duplicate[1] += calls.calls(FirestoreCallCounter.WRITE) - w2;
      }
    }
    check(triggers == SINGLE_THREADED_KEYS, triggers + " triggers for " + SINGLE_THREADED_KEYS);
    results.note(
        "calls on the channel, single-threaded: "
            + firsts
            + " first completions, "
            + duplicates
            + " duplicates, "
            + triggers
            + " triggers");
    results.report("completion_first_completion_reads", (double) first[0] / firsts, "reads");
    results.report("completion_first_completion_writes", (double) first[1] / firsts, "writes");
    results.report("completion_duplicate_reads", (double) duplicate[0] / duplicates, "reads");
    results.report("completion_duplicate_writes", (double) duplicate[1] / duplicates, "writes");
    results.report("completion_trigger_confirm_reads", (double) confirm[0] / triggers, "reads");
    results.report("completion_trigger_confirm_writes", (double) confirm[1] / triggers, "writes");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  private void interleavedRounds(Results results, Firestore firestore, FirestoreCallCounter calls)
      throws Exception {
    List<String> deliveries = deliveries();
    List<Outcome> legacy = new ArrayList<>();
    List<Outcome> tracker = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      LocalDate date = LocalDate.of(2026, 2, 1).plusDays(round);
      legacy.add(legacyOrchestratorTransactions(firestore, deliveries, date));
      tracker.add(tracker(firestore, calls, deliveries, date));
      results.note(
          "round "
              + (round + 1)
              + ": legacy orchestrator transactions "
              + legacy.get(round)
              + "; tracker "
              + tracker.get(round));
    }
    summarize(results, "completion_legacy_transaction", legacy);
    summarize(results, "completion_tracker", tracker);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      ratios.add((double) legacy.get(i).wallMillis() / Math.max(1, tracker.get(i).wallMillis()));
    }
    results.report(
        "completion_tracker_speedup_median",
        median(legacy.stream().map(o -> (double) o.wallMillis()).toList())
            / Math.max(1, median(tracker.stream().map(o -> (double) o.wallMillis()).toList())),
        "x_vs_transaction_medians");
    results.report(
        "completion_tracker_speedup_min", Collections.min(ratios), "x_vs_transaction_same_round");
    results.report(
        "completion_tracker_speedup_max", Collections.max(ratios), "x_vs_transaction_same_round");
    List<Double> retries =
        tracker.stream().map(o -> (double) o.lostWrites() / deliveries.size()).toList();
    results.report("completion_burst_retries_per_delivery_median", median(retries), "retries");
    results.report(
        "completion_burst_retries_per_delivery_min", Collections.min(retries), "retries");
    results.report(
        "completion_burst_retries_per_delivery_max", Collections.max(retries), "retries");
    results.report(
        "completion_burst_reads_per_delivery_median",
        median(tracker.stream().map(o -> (double) o.reads() / deliveries.size()).toList()),
        "reads");
    results.report(
        "completion_burst_writes_per_delivery_median",
        median(tracker.stream().map(o -> (double) o.writes() / deliveries.size()).toList()),
        "writes");
  }

  private void summarize(Results results, String name, List<Outcome> outcomes) {
    List<Double> walls = outcomes.stream().map(o -> (double) o.wallMillis()).toList();
    results.report(name + "_wall_median", median(walls), "ms");
    results.report(name + "_wall_min", Collections.min(walls), "ms");
    results.report(name + "_wall_max", Collections.max(walls), "ms");
    int n = outcomes.size();
    results.report(
        name + "_failed_deliveries",
        outcomes.stream().mapToInt(Outcome::failedDeliveries).sum(),
        "of_" + n * PROCESSORS * DUPLICATES);
    results.report(
        name + "_lost_completions",
        outcomes.stream().mapToInt(Outcome::lostCompletions).sum(),
        "of_" + n * PROCESSORS);
    results.report(
        name + "_triggers",
        outcomes.stream().mapToInt(Outcome::triggers).sum(),
        "in_" + n + "_rounds");
    results.report(
        name + "_count_drift_max",
        (double) outcomes.stream().mapToLong(o -> Math.abs(o.countDrift())).max().orElse(0),
        "stored_minus_derived");
    if (name.equals("completion_tracker")) {
      results.report(
          name + "_recorded_answers_min",
          outcomes.stream().mapToInt(Outcome::recordedAnswers).min().orElse(0),
          "per_round_of_" + PROCESSORS + "_processors");
      results.report(
          name + "_recorded_answers_max",
          outcomes.stream().mapToInt(Outcome::recordedAnswers).max().orElse(0),
          "per_round_of_" + PROCESSORS + "_processors");
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

  private Outcome legacyOrchestratorTransactions(
      Firestore firestore, List<String> deliveries, LocalDate date) throws Exception {
    DocumentReference doc =
        firestore.collection("legacy_phase3_completion").document(date.toString());
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
        timed.wallMillis(),
        timed.failures(),
        PROCESSORS - present,
        triggers,
        stored - present,
        0,
        0,
        0,
        0);
  }

  private Outcome tracker(
      Firestore firestore, FirestoreCallCounter calls, List<String> deliveries, LocalDate date)
      throws Exception {
    RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
    FirestoreCompletionTracker tracker =
        FirestoreCompletionTracker.create(firestore, CompletionConfig.of(PHASE), publisher);
    CompletionKey key = CompletionKey.of("phase3", date);
    List<Callable<RecordResult>> tasks = new ArrayList<>();
    for (String processor : deliveries) {
      Completion c = Completion.ofMessage("msg-" + processor);
      tasks.add(() -> tracker.record(key, processor, c));
    }
    long reads = calls.calls(FirestoreCallCounter.READ);
    long writes = calls.calls(FirestoreCallCounter.WRITE);
    long lost = calls.failedCalls(FirestoreCallCounter.WRITE);
    Timed<RecordResult> timed = runConcurrently(tasks);
    reads = calls.calls(FirestoreCallCounter.READ) - reads;
    writes = calls.calls(FirestoreCallCounter.WRITE) - writes;
    lost = calls.failedCalls(FirestoreCallCounter.WRITE) - lost;
    CompletionState end = tracker.state(key);
    int triggers = (int) timed.values().stream().filter(RecordResult::wonTrigger).count();
    if (triggers != publisher.published().size()) {
      throw new IllegalStateException(
          triggers + " winners but " + publisher.published().size() + " published triggers");
    }
    long stored = end.storedCount().isPresent() ? end.storedCount().getAsInt() : 0;
    int recorded =
        (int) timed.values().stream().filter(r -> r.outcome() == RecordOutcome.RECORDED).count();
    return new Outcome(
        timed.wallMillis(),
        timed.failures(),
        end.missing().size(),
        triggers,
        stored - end.completedCount(),
        recorded,
        reads,
        writes,
        lost);
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
