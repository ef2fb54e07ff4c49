package dev.pipelinereliability.benchmarks;

import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@link dev.pipelinereliability.dedup.Deduplicator} against the naive {@code
 * stream().collect(toMap(List.of(key fields), ...))} on 1M rows with a 4-field key and 10%
 * duplicates, keep-first and keep-latest, both in the same JVM fork. The ratios are naive time
 * divided by library time (higher is better; the target is at least 3).
 */
final class DedupSuite implements Suite {

  @Override
  public void run(Results results) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(DedupJmh.class.getName())
            .forks(1)
            .jvmArgsAppend("-Xms3g", "-Xmx3g")
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(2))
            .build();
    Map<String, Double> ms = new java.util.HashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String method = r.getParams().getBenchmark();
      ms.put(method.substring(method.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    results.note(
        "rows=" + DedupJmh.ROWS + " key_fields=4 duplicate_share=" + DedupJmh.DUPLICATE_SHARE);
    results.report("dedup_keep_first_1m", ms.get("dedupKeepFirst"), "ms/op");
    results.report("naive_tomap_keep_first_1m", ms.get("naiveKeepFirst"), "ms/op");
    results.report(
        "dedup_keep_first_ratio",
        ms.get("naiveKeepFirst") / ms.get("dedupKeepFirst"),
        "x_faster_than_naive_tomap");
    results.report("dedup_keep_latest_1m", ms.get("dedupKeepLatest"), "ms/op");
    results.report("naive_tomap_keep_latest_1m", ms.get("naiveKeepLatest"), "ms/op");
    results.report(
        "dedup_keep_latest_ratio",
        ms.get("naiveKeepLatest") / ms.get("dedupKeepLatest"),
        "x_faster_than_naive_tomap");
  }
}
