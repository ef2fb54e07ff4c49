package dev.pipelinereliability.benchmarks;

import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the metrics cost in memory, with an OpenTelemetry SDK and metric reader installed against
 * the no-op OpenTelemetry: a 1,000-row dedup, a hot path of production code; the testkit's
 * in-memory lock, a test double whose whole call costs a few hundred nanoseconds; the library's two
 * recording calls of one acquire+release without the lock ({@code LockMetrics}, which every lock
 * backend calls); and one bare histogram record, the SDK's own floor per record. {@value #ROUNDS}
 * rounds, each one JMH fork per mode, the modes' order alternating between rounds so that drift on
 * a shared machine hits both; each ratio is computed per round and reported as the median and the
 * range.
 *
 * <p>An acquire+release records two histograms (wait and hold), so the lock's extra time with the
 * SDK, and that of its recording calls, are compared with two bare records: {@code (sdk - no-op) /
 * (2 x (sdk record - no-op record))}, 1 when the library adds nothing of its own to the SDK's cost.
 *
 * <p>Single forks of a 46 us dedup call spread by several percent, too much to show a 5% bound with
 * six rounds. So dedup is also measured call by call in this JVM: a deduplicator reporting to an
 * SDK and one on the no-op OpenTelemetry, called alternately on the same rows, {@value
 * #DEDUP_ROUNDS} rounds of {@value #DEDUP_PAIRS} pairs after {@value #DEDUP_WARMUP_PAIRS} warm-up
 * pairs, each SDK call's time over the no-op call beside it; reported as the median of all pairs
 * with its 95% interval, and the range of the per-round medians.
 */
final class TelemetryOverheadSuite implements Suite {
  static final int ROUNDS = 6;

  static final int DEDUP_WARMUP_PAIRS = 20_000;
  static final int DEDUP_ROUNDS = 20;
  static final int DEDUP_PAIRS = 1_000;

  /** The JMH methods, in the order of the arrays below. */
  private static final String[] METHODS = {
    "dedup1k", "lockAcquireRelease", "lockMetricsRecords", "histogramRecord"
  };

  /**
   * Their RESULT names: production hot paths start {@code telemetry_hot_path_}, the testkit's fake
   * {@code telemetry_test_double_}, the library's recording calls alone {@code telemetry_library_},
   * the SDK's floor {@code telemetry_sdk_floor_}.
   */
  private static final String[] NAMES = {
    "telemetry_hot_path_dedup_1k",
    "telemetry_test_double_inmemory_lock",
    "telemetry_library_lock_records",
    "telemetry_sdk_floor_histogram_record"
  };

  private static final int DEDUP = 0;
  private static final int LOCK = 1;
  private static final int LOCK_RECORDS = 2;
  private static final int RECORD = 3;

  /** What is compared with two bare records, as the lock's extra time and its source. */
  private static final int[] VS_TWO_RECORDS = {LOCK, LOCK_RECORDS};

  @Override
  public void run(Results results) throws Exception {
    int n = METHODS.length;
    List<List<Double>> noop = new ArrayList<>();
    List<List<Double>> sdk = new ArrayList<>();
    List<List<Double>> ratios = new ArrayList<>();
    for (int m = 0; m < n; m++) {
      noop.add(new ArrayList<>());
      sdk.add(new ArrayList<>());
      ratios.add(new ArrayList<>());
    }
    // Per round, the extra time with the SDK over two bare records: [0] the lock, [1] its records.
    List<List<Double>> vsTwoRecords = List.of(new ArrayList<>(), new ArrayList<>());
    for (int round = 0; round < ROUNDS; round++) {
      String[] order = round % 2 == 0 ? new String[] {"noop", "sdk"} : new String[] {"sdk", "noop"};
      double[][] score = new double[n][2]; // [method][0 noop, 1 sdk]
      for (String mode : order) {
        Options options =
            new OptionsBuilder()
                .include(TelemetryOverheadJmh.class.getName())
                .param("mode", mode)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .build();
        for (RunResult r : new Runner(options).run()) {
          score[method(r.getParams().getBenchmark())][mode.equals("sdk") ? 1 : 0] =
              r.getPrimaryResult().getScore();
        }
      }
      for (int m = 0; m < n; m++) {
        if (score[m][0] == 0 || score[m][1] == 0) {
          throw new IllegalStateException("JMH reported no score for " + METHODS[m]);
        }
        noop.get(m).add(score[m][0]);
        sdk.get(m).add(score[m][1]);
        ratios.get(m).add(score[m][1] / score[m][0]);
        results.note(
            String.format(
                Locale.ROOT,
                "round %d (%s first) %s: noop %.1f ns/op, sdk %.1f ns/op, ratio %.3f",
                round + 1,
                order[0],
                METHODS[m],
                score[m][0],
                score[m][1],
                score[m][1] / score[m][0]));
      }
      double recordExtra = score[RECORD][1] - score[RECORD][0];
      if (recordExtra <= 0) {
        // Noise made the SDK's record no dearer than the no-op's: no floor to divide by.
        results.note(
            String.format(
                Locale.ROOT,
                "round %d: one bare record +%.1f ns with the SDK; no ratio to its floor",
                round + 1,
                recordExtra));
        continue;
      }
      for (int c = 0; c < VS_TWO_RECORDS.length; c++) {
        double extra = score[VS_TWO_RECORDS[c]][1] - score[VS_TWO_RECORDS[c]][0];
        vsTwoRecords.get(c).add(extra / (2 * recordExtra));
        results.note(
            String.format(
                Locale.ROOT,
                "round %d: %s +%.1f ns with the SDK, one bare record +%.1f ns, ratio %.3f",
                round + 1,
                METHODS[VS_TWO_RECORDS[c]],
                extra,
                recordExtra,
                extra / (2 * recordExtra)));
      }
    }
    for (int m : new int[] {DEDUP, LOCK}) {
      results.report(NAMES[m] + "_noop_median", median(noop.get(m)), "ns/op");
      results.report(NAMES[m] + "_sdk_median", median(sdk.get(m)), "ns/op");
      results.report(NAMES[m] + "_ratio_min", min(ratios.get(m)), "x_sdk_vs_noop");
      results.report(NAMES[m] + "_ratio_max", max(ratios.get(m)), "x_sdk_vs_noop");
      results.report(NAMES[m] + "_ratio", median(ratios.get(m)), "x_sdk_vs_noop");
    }
    for (int m : new int[] {LOCK_RECORDS, RECORD}) {
      results.report(NAMES[m] + "_noop_median", median(noop.get(m)), "ns/op");
      results.report(NAMES[m] + "_sdk_median", median(sdk.get(m)), "ns/op");
    }
    for (int c = 0; c < VS_TWO_RECORDS.length; c++) {
      if (vsTwoRecords.get(c).isEmpty()) {
        results.note("no round had a positive SDK floor; no ratio to it");
        continue;
      }
      String name = NAMES[VS_TWO_RECORDS[c]] + "_overhead_vs_two_sdk_records";
      results.report(name + "_min", min(vsTwoRecords.get(c)), "x");
      results.report(name + "_max", max(vsTwoRecords.get(c)), "x");
      results.report(name, median(vsTwoRecords.get(c)), "x");
    }
    dedupPaired(results);
  }

  /** Dedup of 1,000 rows, SDK against no-op, call by call (see the class comment). */
  private static void dedupPaired(Results results) {
    List<Map<String, Object>> rows =
        DedupJmh.generate(
            TelemetryOverheadJmh.DEDUP_ROWS, DedupJmh.DUPLICATE_SHARE, new Random(20261130L));
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build()) {
      List<Deduplicator<Map<String, Object>>> dedups = new ArrayList<>();
      for (OpenTelemetry openTelemetry : List.of(OpenTelemetry.noop(), sdk)) {
        dedups.add(
            Deduplicator.forRows("game_id", "player_lookup", "system_id", "line_value")
                .openTelemetry(openTelemetry)
                .build());
      }
      long sink = 0; // every result is used, so the JIT can drop no call
      for (int i = 0; i < DEDUP_WARMUP_PAIRS; i++) {
        sink += dedups.get(0).apply(rows).removedCount() + dedups.get(1).apply(rows).removedCount();
      }
      PairedRatios all = new PairedRatios();
      List<Double> roundMedians = new ArrayList<>();
      for (int round = 0; round < DEDUP_ROUNDS; round++) {
        PairedRatios paired = new PairedRatios();
        for (int i = 0; i < DEDUP_PAIRS; i++) {
          int first = (round + i) % 2; // the order alternates, so drift hits both modes
          long[] nanos = new long[2];
          for (int m : new int[] {first, 1 - first}) {
            long t0 = System.nanoTime();
            sink += dedups.get(m).apply(rows).removedCount();
            nanos[m] = System.nanoTime() - t0;
          }
          paired.add((double) nanos[1] / nanos[0]);
        }
        roundMedians.add(paired.median());
        all.addAll(paired);
        results.note(
            String.format(
                Locale.ROOT,
                "dedup paired round %d: median of %d paired ratios %.4f",
                round + 1,
                DEDUP_PAIRS,
                paired.median()));
      }
      long calls = DEDUP_WARMUP_PAIRS + (long) DEDUP_ROUNDS * DEDUP_PAIRS;
      long rowsIn = rowsIn(reader);
      if (rowsIn != calls * rows.size()) {
        throw new IllegalStateException(
            "the SDK counted " + rowsIn + " rows in, expected " + calls * rows.size());
      }
      results.note(
          "the SDK's reader counted "
              + rowsIn
              + " rows in, "
              + rows.size()
              + " per SDK call; checksum "
              + sink);
      String name = "telemetry_hot_path_dedup_1k_paired";
      results.report(name + "_round_median_min", min(roundMedians), "x_sdk_vs_noop");
      results.report(name + "_round_median_max", max(roundMedians), "x_sdk_vs_noop");
      all.report(results, name, "x_sdk_vs_noop");
    }
  }

  private static long rowsIn(InMemoryMetricReader reader) {
    String name = ReliabilityTelemetry.PREFIX + "dedup.rows.in";
    long sum = 0;
    for (MetricData metric : reader.collectAllMetrics()) {
      if (metric.getName().equals(name)) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          sum += point.getValue();
        }
      }
    }
    return sum;
  }

  /** Which of {@link #METHODS} a JMH benchmark name is; an unknown one fails naming it. */
  private static int method(String benchmark) {
    for (int m = 0; m < METHODS.length; m++) {
      if (benchmark.endsWith("." + METHODS[m])) {
        return m;
      }
    }
    throw new IllegalStateException("unexpected benchmark " + benchmark);
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
