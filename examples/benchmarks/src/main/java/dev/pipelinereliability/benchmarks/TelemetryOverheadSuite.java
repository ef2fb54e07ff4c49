package dev.pipelinereliability.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the metrics cost on the hot paths: the in-memory lock's acquire+release and a 1,000-row
 * dedup, with an OpenTelemetry SDK and metric reader installed, against the same calls with the
 * no-op OpenTelemetry. {@value #ROUNDS} rounds, each one JMH fork per mode, the modes' order
 * alternating between rounds so that drift on a shared machine hits both; the ratio is instrumented
 * over uninstrumented per round, reported as the median and the range.
 */
final class TelemetryOverheadSuite implements Suite {
  static final int ROUNDS = 6;

  @Override
  public void run(Results results) throws Exception {
    String[] methods = {"lockAcquireRelease", "dedup1k"};
    List<List<Double>> ratios = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Double>> noop = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Double>> sdk = List.of(new ArrayList<>(), new ArrayList<>());
    for (int round = 0; round < ROUNDS; round++) {
      String[] order = round % 2 == 0 ? new String[] {"noop", "sdk"} : new String[] {"sdk", "noop"};
      double[][] score = new double[2][2]; // [method][0 noop, 1 sdk]
      for (String mode : order) {
        Options options =
            new OptionsBuilder()
                .include(TelemetryOverheadJmh.class.getName())
                .param("mode", mode)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .build();
        for (RunResult r : new Runner(options).run()) {
          String benchmark = r.getParams().getBenchmark();
          int m = benchmark.endsWith("." + methods[0]) ? 0 : 1;
          score[m][mode.equals("sdk") ? 1 : 0] = r.getPrimaryResult().getScore();
        }
      }
      for (int m = 0; m < 2; m++) {
        noop.get(m).add(score[m][0]);
        sdk.get(m).add(score[m][1]);
        ratios.get(m).add(score[m][1] / score[m][0]);
        results.note(
            String.format(
                "round %d (%s first) %s: noop %.1f ns/op, sdk %.1f ns/op, ratio %.3f",
                round + 1,
                order[0],
                methods[m],
                score[m][0],
                score[m][1],
                score[m][1] / score[m][0]));
      }
    }
    String[] names = {"telemetry_lock_acquire_release", "telemetry_dedup_1k"};
    for (int m = 0; m < 2; m++) {
      results.report(names[m] + "_noop_median", median(noop.get(m)), "ns/op");
      results.report(names[m] + "_sdk_median", median(sdk.get(m)), "ns/op");
      results.report(names[m] + "_ratio_min", min(ratios.get(m)), "x");
      results.report(names[m] + "_ratio_max", max(ratios.get(m)), "x");
      results.report(names[m] + "_ratio", median(ratios.get(m)), "x");
    }
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
