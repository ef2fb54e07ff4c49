package dev.pipelinereliability.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.telemetry.CompletionMetrics;
import dev.pipelinereliability.telemetry.DedupMetrics;
import dev.pipelinereliability.telemetry.HealthMetrics;
import dev.pipelinereliability.telemetry.LockMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.telemetry.ValidationMetrics;
import dev.pipelinereliability.telemetry.WriteMetrics;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the root README's Telemetry table and the alert policies true: the table lists exactly the
 * instruments the library registers, with their units, and every metric an alert policy names is
 * one of them.
 */
class TelemetryReadmeTest {
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `(pipeline_reliability\\.[a-z0-9_.]+)` \\| (counter|histogram), `([^`]+)` \\|",
          Pattern.MULTILINE);
  private static final Pattern POLICY_METRIC =
      Pattern.compile("workload\\.googleapis\\.com/(pipeline_reliability\\.[a-z0-9_.]+)");
  private static final Pattern PROMQL_METRIC =
      Pattern.compile("workload_googleapis_com:(pipeline_reliability_[a-z0-9_]+)");

  @Test
  void readmeListsExactlyTheRegisteredInstrumentsWithTheirUnits() throws IOException {
    Set<String> listed = readmeInstruments();

    Set<String> registered;
    try (MetricsCapture metrics = MetricsCapture.create()) {
      recordEveryInstrument(ReliabilityTelemetry.of(metrics.openTelemetry()));
      registered = metrics.recordedInstruments();
    }

    assertThat(listed).isEqualTo(registered);
    // An instrument that recordEveryInstrument() does not reach would be missing from both sides:
    // count the instrument fields of the recorders too.
    assertThat(listed).hasSize(instrumentFields());
  }

  @Test
  void everyMetricAnAlertPolicyNamesIsListed() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String row : readmeInstruments()) {
      names.add(row.substring(0, row.indexOf(' ')));
    }
    Path policies = ReadmeSnippetsTest.repositoryRoot().resolve("examples/alert-policies");
    List<Path> files;
    try (Stream<Path> s = Files.list(policies)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(3);
    int referenced = 0;
    for (Path file : files) {
      String json = Files.readString(file);
      Matcher m = POLICY_METRIC.matcher(json);
      while (m.find()) {
        assertThat(names).as(file.toString()).contains(m.group(1));
        referenced++;
      }
      Matcher p = PROMQL_METRIC.matcher(json);
      while (p.find()) {
        String promql = p.group(1);
        assertThat(names.stream().map(n -> n.replace('.', '_')))
            .as(file.toString())
            .contains(promql);
        referenced++;
      }
    }
    assertThat(referenced).isEqualTo(4);
  }

  /** "name unit" of every row of the README's instrument table. */
  private static Set<String> readmeInstruments() throws IOException {
    String readme = Files.readString(ReadmeSnippetsTest.repositoryRoot().resolve("README.md"));
    Set<String> rows = new TreeSet<>();
    Matcher m = ROW.matcher(readme);
    while (m.find()) {
      rows.add(m.group(1) + " " + m.group(3));
    }
    return rows;
  }

  private static void recordEveryInstrument(ReliabilityTelemetry telemetry) {
    FakeClock clock = FakeClock.create();
    LockMetrics lock = telemetry.lock(clock);
    lock.acquireFinished("t", LockMetrics.AcquireOutcome.ACQUIRED, clock.instant());
    lock.holdEnded("t", LockMetrics.HoldOutcome.RELEASED, clock.instant());
    lock.leaseLost("t", LockLossCause.EXPIRED);
    lock.renewalFailed("t");
    CompletionMetrics completion = telemetry.completion();
    completion.delivered("p", RecordOutcome.RECORDED, true);
    completion.triggerClaimed("p", Duration.ofHours(1), 1);
    completion.triggerPublished("p", false);
    DedupMetrics dedup = telemetry.dedup();
    dedup.deduplicated(2, 1);
    ValidationMetrics validation = telemetry.validation();
    validation.validated("d.t", 1, 1);
    WriteMetrics writes = telemetry.writes();
    writes.recordWrite("d.t", () -> new WriteResult(1, 0, 0, 0, 2, List.of()));
    writes.refused("d.t", WriteMetrics.Refusal.STALE_FENCE);
    HealthMetrics health = telemetry.health();
    health.checked("c", "OK");
  }

  /** The counters and histograms the recorder classes hold. */
  private static int instrumentFields() {
    int n = 0;
    for (Class<?> c :
        List.of(
            CompletionMetrics.class,
            DedupMetrics.class,
            ValidationMetrics.class,
            WriteMetrics.class,
            HealthMetrics.class,
            nested(LockMetrics.class, "Instruments"))) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == LongCounter.class || f.getType() == DoubleHistogram.class) {
          n++;
        }
      }
    }
    return n;
  }

  private static Class<?> nested(Class<?> outer, String simpleName) {
    for (Class<?> c : outer.getDeclaredClasses()) {
      if (c.getSimpleName().equals(simpleName)) {
        return c;
      }
    }
    throw new IllegalStateException(outer + " has no nested class " + simpleName);
  }
}
