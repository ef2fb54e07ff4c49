package dev.pipelinereliability.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ratios of paired calls (an instrumented call over the uninstrumented call beside it), with the
 * median and its distribution-free 95% confidence interval from order statistics. The interval
 * treats the pairs as independent; the per-round medians the suites print show how far drift
 * between rounds moves it. Not thread-safe.
 */
final class PairedRatios {
  private final List<Double> ratios = new ArrayList<>();

  /** Adds one pair's ratio. */
  void add(double ratio) {
    ratios.add(ratio);
  }

  /** Adds every ratio of {@code other}. */
  void addAll(PairedRatios other) {
    ratios.addAll(other.ratios);
  }

  /** The number of ratios. */
  int size() {
    return ratios.size();
  }

  /** The median of the ratios. */
  double median() {
    List<Double> sorted = sorted();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The distribution-free 95% interval of the median: the values of 1-based ranks {@code k} and
   * {@code n + 1 - k}, with {@code k = floor(n/2 - 0.98 sqrt(n))} (at least 1).
   *
   * @return {@code {low, high}}
   */
  double[] medianCi95() {
    List<Double> sorted = sorted();
    int n = sorted.size();
    int k = Math.max(1, (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n)));
    return new double[] {sorted.get(k - 1), sorted.get(n - k)};
  }

  /** Prints the median and its interval as {@code <name>_all_pairs_median[_ci95_low|_high]}. */
  void report(Results results, String name, String unit) {
    double[] ci = medianCi95();
    results.report(name + "_all_pairs_median", median(), unit);
    results.report(name + "_all_pairs_median_ci95_low", ci[0], unit);
    results.report(name + "_all_pairs_median_ci95_high", ci[1], unit);
  }

  private List<Double> sorted() {
    if (ratios.isEmpty()) {
      throw new IllegalStateException("no pairs measured");
    }
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    return sorted;
  }
}
