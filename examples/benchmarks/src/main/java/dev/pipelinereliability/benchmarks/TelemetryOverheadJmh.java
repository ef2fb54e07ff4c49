package dev.pipelinereliability.benchmarks;

import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.telemetry.LockMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH methods behind {@link TelemetryOverheadSuite}: the testkit's in-memory lock and the dedup hot
 * path with the no-op OpenTelemetry (what the library sees with no SDK installed) and with an SDK
 * whose meter provider has a metric reader, so every measurement is aggregated; and, to take the
 * lock's extra time apart, the library's recording calls of one acquire+release on their own, and
 * one bare histogram record on the same OpenTelemetry, the least any instrumentation with a
 * histogram pays per record. Average time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH sets @Param fields and runs @Setup before any benchmark
public class TelemetryOverheadJmh {
  /** Rows per dedup call: a Pub/Sub batch, where the per-call metric cost weighs most. */
  static final int DEDUP_ROWS = 1_000;

  private static final LockKey KEY = LockKey.of("phase3", "2024-11-20");

  /**
   * The bucket bounds of the library's acquire-wait histogram, so that the bare record aggregates
   * into a histogram of the same shape.
   */
  private static final List<Double> BOUNDARIES =
      List.of(
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0,
          1800.0, 3600.0);

  /** {@code noop}: no SDK; {@code sdk}: an SDK with an in-memory metric reader. */
  @Param({"noop", "sdk"})
  public String mode;

  @Nullable OpenTelemetrySdk sdk; // null in noop mode
  InMemoryDistributedLock locks;
  LockOptions options;
  Deduplicator<Map<String, Object>> dedup;
  List<Map<String, Object>> rows;
  DoubleHistogram histogram;
  Attributes attributes;
  LockMetrics lockMetrics;

  /** Builds the primitives on the OpenTelemetry instance of {@link #mode}. */
  @Setup(Level.Trial)
  public void setUp() {
    OpenTelemetry openTelemetry;
    if (mode.equals("sdk")) {
      sdk =
          OpenTelemetrySdk.builder()
              .setMeterProvider(
                  SdkMeterProvider.builder()
                      .registerMetricReader(InMemoryMetricReader.create())
                      .build())
              .build();
      openTelemetry = sdk;
    } else {
      openTelemetry = OpenTelemetry.noop();
    }
    locks = new InMemoryDistributedLock(openTelemetry, FakeClock.create());
    options = LockOptions.ofDefaults();
    dedup =
        Deduplicator.forRows("game_id", "player_lookup", "system_id", "line_value")
            .openTelemetry(openTelemetry)
            .build();
    rows = DedupJmh.generate(DEDUP_ROWS, DedupJmh.DUPLICATE_SHARE, new Random(20261130L));
    // Built once, as the library builds its attribute sets once: the record alone is measured.
    histogram =
        openTelemetry
            .getMeter("benchmarks")
            .histogramBuilder("benchmarks.record.duration")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
    attributes =
        Attributes.of(
            AttributeKey.stringKey("lock_type"),
            KEY.type(),
            AttributeKey.stringKey("outcome"),
            "acquired");
    lockMetrics = ReliabilityTelemetry.of(openTelemetry).lock(FakeClock.create());
  }

  /** Shuts the SDK down, if any. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (sdk != null) {
      sdk.close();
    }
  }

  /** Acquire and release a free key: an acquire-wait record and a hold record per call. */
  @Benchmark
  public long lockAcquireRelease() {
    try (LockHandle h = locks.acquire(KEY, options)) {
      return h.fencingToken();
    }
  }

  /**
   * One histogram record with pre-built attributes: the SDK's own cost per record, which the lock's
   * acquire+release pays twice (wait and hold). The value is 0 s, what every record of the lock
   * above holds, since its fake clock never moves.
   */
  @Benchmark
  public void histogramRecord() {
    histogram.record(0.0, attributes);
  }

  /**
   * The library's recording calls of one acquire+release, without the lock, as every lock backend
   * makes them: the wait and the hold, each timed on the recorder's clock (two reads), recorded
   * with a pre-built attribute set.
   */
  @Benchmark
  public void lockMetricsRecords() {
    lockMetrics.acquireFinished(KEY.type(), LockMetrics.AcquireOutcome.ACQUIRED, lockMetrics.now());
    Instant acquiredAt = lockMetrics.now();
    lockMetrics.holdEnded(KEY.type(), LockMetrics.HoldOutcome.RELEASED, acquiredAt);
  }

  /** Dedup of 1,000 rows, keep-first: rows in and rows removed counted once per call. */
  @Benchmark
  public int dedup1k() {
    return dedup.apply(rows).removedCount();
  }
}
