package dev.pipelinereliability.benchmarks;

import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
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
 * JMH methods behind {@link TelemetryOverheadSuite}: the lock and dedup hot paths with the no-op
 * OpenTelemetry (what the library sees with no SDK installed) and with an SDK whose meter provider
 * has a metric reader, so every measurement is aggregated. Average time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH sets @Param fields and runs @Setup before any benchmark
public class TelemetryOverheadJmh {
  /** Rows per dedup call: a Pub/Sub batch, where the per-call metric cost weighs most. */
  static final int DEDUP_ROWS = 1_000;

  private static final LockKey KEY = LockKey.of("phase3", "2024-11-20");

  /** {@code noop}: no SDK; {@code sdk}: an SDK with an in-memory metric reader. */
  @Param({"noop", "sdk"})
  public String mode;

  @Nullable OpenTelemetrySdk sdk; // null in noop mode
  InMemoryDistributedLock locks;
  LockOptions options;
  Deduplicator<Map<String, Object>> dedup;
  List<Map<String, Object>> rows;

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

  /** Dedup of 1,000 rows, keep-first: rows in and rows removed counted once per call. */
  @Benchmark
  public int dedup1k() {
    return dedup.apply(rows).removedCount();
  }
}
