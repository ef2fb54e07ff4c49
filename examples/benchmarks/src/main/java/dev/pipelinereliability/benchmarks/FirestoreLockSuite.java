package dev.pipelinereliability.benchmarks;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.firestore.lock.FirestoreDistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Firestore lock on the Cloud SDK emulator, each figure beside a baseline from the same run:
 *
 * <ul>
 *   <li>uncontended acquire+release of one key against a bare {@code create()} + {@code
 *       delete(updatedAt)} pair, in latency and in gRPC calls;
 *   <li>hand-off, from the start of the holder's release to the return of a waiting {@code
 *       acquire()}, against the legacy pipeline's grading-lock waiter that retried every 5 s;
 *   <li>what the metrics cost on the lock as it runs in production: uncontended acquire+release on
 *       a lock reporting to an OpenTelemetry SDK with a metric reader, against the same calls on a
 *       lock built with the no-op OpenTelemetry, alternating call by call in {@value
 *       #TELEMETRY_ROUNDS} rounds; per round the median of the ratios of each SDK call to the no-op
 *       call beside it, reported as the median and the range over the rounds, and the median of all
 *       the paired ratios with its 95% confidence interval (from order statistics).
 * </ul>
 *
 * <p>Calls are counted by a gRPC interceptor on the client's channel ({@link RpcCounter}), so they
 * are what the emulator received, not what the lock believes it sent.
 *
 * <p>Samples: 200 uncontended pairs, 30 hand-offs through the listener, 6 through 5 s polling
 * (about 5 s each). When the {@code Benchmarks} class is run directly, {@code
 * -Dfirestore.iterations}, {@code -Dfirestore.handoffs} and {@code -Dfirestore.pollingHandoffs}
 * change them; {@code -Dfirestore.telemetryPairs} (default 300) the acquire+release pairs per mode
 * and round of the telemetry figure.
 */
final class FirestoreLockSuite implements Suite {
  private static final Duration LEGACY_POLL_INTERVAL = Duration.ofSeconds(5);
  private static final LockOptions OPTIONS =
      LockOptions.builder().leaseDuration(Duration.ofMinutes(1)).build();

  private final int iterations = Integer.getInteger("firestore.iterations", 200);
  private final int handoffs = Integer.getInteger("firestore.handoffs", 30);
  private final int pollingHandoffs = Integer.getInteger("firestore.pollingHandoffs", 6);
  private final int telemetryPairs = Integer.getInteger("firestore.telemetryPairs", 300);

  static final int TELEMETRY_ROUNDS = 20;
  private static final int TELEMETRY_WARMUP_PAIRS = 100;

  @Override
  public void run(Results results) throws Exception {
    if (System.getenv("FIRESTORE_EMULATOR_HOST") != null) {
      throw new IllegalStateException(
          "unset FIRESTORE_EMULATOR_HOST: the Firestore client would then replace the"
              + " RPC-counting channel this suite needs with its own");
    }
    Path jar =
        FirestoreEmulator.findCloudSdkJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "needs the Cloud SDK Firestore emulator: gcloud components install"
                            + " cloud-firestore-emulator"));
    try (FirestoreEmulator emulator = FirestoreEmulator.start(jar)) {
      RpcCounter holderCalls = new RpcCounter();
      RpcCounter waiterCalls = new RpcCounter();
      Firestore holderClient = client(emulator.hostPort(), holderCalls);
      Firestore waiterClient = client(emulator.hostPort(), waiterCalls);
      try {
        uncontended(results, holderClient, holderCalls);
        telemetryOverhead(results, holderClient);
        handoff(results, holderClient, waiterClient);
      } finally {
        holderClient.close();
        waiterClient.close();
      }
    }
  }

  private void uncontended(Results results, Firestore client, RpcCounter calls) throws Exception {
    FirestoreDistributedLock lock = FirestoreDistributedLock.create(client);
    LockKey key = LockKey.of("bench", "uncontended");
    CollectionReference bare = client.collection("bench_bare");
    // Warm-up: channel, emulator JIT, both code paths.
    for (int i = 0; i < 30; i++) {
      lock.tryAcquire(key, OPTIONS).orElseThrow().close();
      createDelete(bare.document("warm-" + i));
    }

    long newKeyBefore = calls.total();
    LockHandle first = lock.tryAcquire(LockKey.of("bench", "new-key"), OPTIONS).orElseThrow();
    long newKeyAcquire = calls.total() - newKeyBefore;
    first.close();

    List<Double> lockMs = new ArrayList<>();
    List<Double> bareMs = new ArrayList<>();
    long acquireCalls = 0;
    long releaseCalls = 0;
    long bareCalls = 0;
    Map<String, Long> before = calls.snapshot();
    for (int i = 0; i < iterations; i++) {
      // Interleaved so that both see the same machine load.
      long c0 = calls.total();
      long t0 = System.nanoTime();
      LockHandle h = lock.tryAcquire(key, OPTIONS).orElseThrow();
      long c1 = calls.total();
      h.close();
      long t1 = System.nanoTime();
      long c2 = calls.total();
      createDelete(bare.document("doc-" + i));
      long t2 = System.nanoTime();
      long c3 = calls.total();
      acquireCalls += c1 - c0;
      releaseCalls += c2 - c1;
      bareCalls += c3 - c2;
      lockMs.add((t1 - t0) / 1e6);
      bareMs.add((t2 - t1) / 1e6);
    }
    results.note("calls by method over the loop: before " + before + ", after " + calls.snapshot());
    double lockMedian = median(lockMs);
    double bareMedian = median(bareMs);
    results.report("firestore_lock_acquire_new_key_rpcs", (double) newKeyAcquire, "rpcs");
    results.report("firestore_lock_acquire_rpcs", (double) acquireCalls / iterations, "rpcs");
    results.report("firestore_lock_release_rpcs", (double) releaseCalls / iterations, "rpcs");
    results.report("bare_create_delete_rpcs", (double) bareCalls / iterations, "rpcs");
    results.report("firestore_lock_acquire_release_median", lockMedian, "ms");
    results.report("bare_create_delete_median", bareMedian, "ms");
    results.report(
        "firestore_lock_acquire_release_ratio", lockMedian / bareMedian, "x_vs_create_delete");
  }

  private void telemetryOverhead(Results results, Firestore client) throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build()) {
      FirestoreDistributedLock[] locks = {
        FirestoreDistributedLock.builder(client).openTelemetry(OpenTelemetry.noop()).build(),
        FirestoreDistributedLock.builder(client).openTelemetry(sdk).build()
      };
      // Own keys, so that neither mode finds the other's document (or the suite's) in its way.
      LockKey[] keys = {
        LockKey.of("bench", "telemetry-noop"), LockKey.of("bench", "telemetry-sdk")
      };
      for (int i = 0; i < TELEMETRY_WARMUP_PAIRS; i++) {
        for (int m = 0; m < 2; m++) {
          acquireReleaseMs(locks[m], keys[m]);
        }
      }
      List<Double> ratios = new ArrayList<>();
      PairedRatios allPairs = new PairedRatios();
      List<Double> noopMedians = new ArrayList<>();
      List<Double> sdkMedians = new ArrayList<>();
      for (int round = 0; round < TELEMETRY_ROUNDS; round++) {
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        PairedRatios paired = new PairedRatios();
        for (int i = 0; i < telemetryPairs; i++) {
          // Call by call, the order alternating, so that drift in the emulator hits both modes;
          // each SDK call is compared with the no-op call beside it, which saw the same load.
          int first = (round + i) % 2;
          double a = acquireReleaseMs(locks[first], keys[first]);
          double b = acquireReleaseMs(locks[1 - first], keys[1 - first]);
          ms.get(first).add(a);
          ms.get(1 - first).add(b);
          paired.add(first == 1 ? a / b : b / a);
        }
        double noop = median(ms.get(0));
        double withSdk = median(ms.get(1));
        double ratio = paired.median();
        allPairs.addAll(paired);
        noopMedians.add(noop);
        sdkMedians.add(withSdk);
        ratios.add(ratio);
        results.note(
            String.format(
                java.util.Locale.ROOT,
                "telemetry round %d: noop median %.3f ms, sdk median %.3f ms, median of the"
                    + " paired ratios %.3f",
                round + 1,
                noop,
                withSdk,
                ratio));
      }
      long recorded = acquireRecords(reader);
      long expected = TELEMETRY_WARMUP_PAIRS + (long) TELEMETRY_ROUNDS * telemetryPairs;
      if (recorded != expected) {
        throw new IllegalStateException(
            "the SDK lock recorded " + recorded + " acquire waits, expected " + expected);
      }
      results.note("the SDK's reader holds " + recorded + " acquire waits, one per SDK call");
      // The production lock: its RESULT names say hot path, as the dedup's do.
      String name = "telemetry_hot_path_firestore_lock";
      results.report(name + "_noop_median", median(noopMedians), "ms");
      results.report(name + "_sdk_median", median(sdkMedians), "ms");
      results.report(name + "_ratio_min", min(ratios), "x_sdk_vs_noop");
      results.report(name + "_ratio_max", max(ratios), "x_sdk_vs_noop");
      results.report(name + "_ratio", median(ratios), "x_sdk_vs_noop");
      allPairs.report(results, name, "x_sdk_vs_noop");
    }
  }

  private static double acquireReleaseMs(FirestoreDistributedLock lock, LockKey key) {
    long t0 = System.nanoTime();
    lock.tryAcquire(key, OPTIONS).orElseThrow().close();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** How many acquire waits the reader's SDK aggregated, over every attribute set. */
  private static long acquireRecords(InMemoryMetricReader reader) {
    String name = ReliabilityTelemetry.PREFIX + "lock.acquire.duration";
    long count = 0;
    for (MetricData metric : reader.collectAllMetrics()) {
      if (metric.getName().equals(name)) {
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          count += point.getCount();
        }
      }
    }
    return count;
  }

  private static void createDelete(DocumentReference doc) throws Exception {
    WriteResult created = doc.create(Map.of("held", true)).get(10, TimeUnit.SECONDS);
    doc.delete(Precondition.updatedAt(created.getUpdateTime())).get(10, TimeUnit.SECONDS);
  }

  private void handoff(Results results, Firestore holderClient, Firestore waiterClient)
      throws Exception {
    FirestoreDistributedLock holderLock = FirestoreDistributedLock.create(holderClient);
    FirestoreDistributedLock waiterLock = FirestoreDistributedLock.create(waiterClient);
    LockOptions waiting = OPTIONS.withMaxWait(Duration.ofSeconds(30));

    List<Double> listenerMs = new ArrayList<>();
    for (int i = 0; i < 5 + handoffs; i++) {
      LockKey key = LockKey.of("bench", "handoff-" + i);
      LockHandle holder = holderLock.tryAcquire(key, OPTIONS).orElseThrow();
      CompletableFuture<Long> acquiredAt =
          CompletableFuture.supplyAsync(
              () -> {
                LockHandle h = waiterLock.acquire(key, waiting);
                long at = System.nanoTime();
                h.close();
                return at;
              });
      Thread.sleep(300); // the waiter has read the document and is listening
      long releasedAt = System.nanoTime();
      holder.close();
      double ms = (acquiredAt.get(30, TimeUnit.SECONDS) - releasedAt) / 1e6;
      if (i >= 5) { // the first few warm the listener path up
        listenerMs.add(ms);
      }
    }

    List<Double> pollingMs = new ArrayList<>();
    for (int i = 0; i < pollingHandoffs; i++) {
      LockKey key = LockKey.of("bench", "polling-" + i);
      LockHandle holder = holderLock.tryAcquire(key, OPTIONS).orElseThrow();
      CompletableFuture<Long> acquiredAt =
          CompletableFuture.supplyAsync(() -> pollEveryFiveSeconds(waiterLock, key));
      // Releases spread evenly over the waiter's 5 s polling cycle: in production a release
      // falls anywhere in it, so a few random phases would make a noisy median.
      long delayMs = 300 + (2 * i + 1) * LEGACY_POLL_INTERVAL.toMillis() / (2L * pollingHandoffs);
      Thread.sleep(delayMs);
      long releasedAt = System.nanoTime();
      holder.close();
      pollingMs.add((acquiredAt.get(60, TimeUnit.SECONDS) - releasedAt) / 1e6);
    }

    double listenerMedian = median(listenerMs);
    double pollingMedian = median(pollingMs);
    results.note("hand-offs via listener (ms): " + listenerMs);
    results.note("hand-offs via 5 s polling (ms): " + pollingMs);
    results.report("firestore_lock_handoff_median", listenerMedian, "ms");
    results.report("firestore_lock_handoff_p90", percentile(listenerMs, 0.9), "ms");
    results.report("legacy_5s_polling_handoff_median", pollingMedian, "ms");
    results.report(
        "firestore_lock_handoff_ratio", listenerMedian / pollingMedian, "x_vs_5s_polling");
  }

  /** The legacy pipeline's grading-lock waiter: try, and if held sleep 5 s, up to 60 times. */
  private static long pollEveryFiveSeconds(FirestoreDistributedLock lock, LockKey key) {
    for (int attempt = 0; attempt < 60; attempt++) {
      Optional<LockHandle> h = lock.tryAcquire(key, OPTIONS);
      if (h.isPresent()) {
        long at = System.nanoTime();
        h.get().close();
        return at;
      }
      try {
        Thread.sleep(LEGACY_POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("polling waiter never got " + key);
  }

  private static Firestore client(String hostPort, RpcCounter counter) {
    // What setEmulatorHost does, plus the counting interceptor (setEmulatorHost would replace
    // this channel provider with its own).
    return FirestoreOptions.newBuilder()
        .setProjectId("benchmarks")
        .setChannelProvider(
            InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(hostPort)
                .setChannelConfigurator(b -> b.usePlaintext())
                .setInterceptorProvider(() -> List.of(counter))
                .build())
        .setCredentialsProvider(
            FixedCredentialsProvider.create(new FirestoreOptions.EmulatorCredentials()))
        .build()
        .getService();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<Double> values) {
    return Collections.min(values);
  }

  private static double max(List<Double> values) {
    return Collections.max(values);
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
