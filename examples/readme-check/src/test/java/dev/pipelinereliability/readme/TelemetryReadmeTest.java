package dev.pipelinereliability.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.monitoring.v3.Aggregation;
import com.google.monitoring.v3.AlertPolicy;
import com.google.protobuf.util.JsonFormat;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.health.HealthStatus;
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
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the root README's Telemetry table and the alert policies true: the table lists exactly the
 * instruments the library registers, with their types, units, attribute keys and every attribute
 * value the library records; every alert policy parses as a Cloud Monitoring {@code AlertPolicy}
 * and names only listed metrics, labels and values.
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
  private static final Pattern ROW_WITH_ATTRIBUTES =
      Pattern.compile(
          "^\\| `(pipeline_reliability\\.[a-z0-9_.]+)` \\| (counter|histogram), `([^`]+)` \\|"
              + " ([^|]+) \\|",
          Pattern.MULTILINE);
  private static final Pattern CODE_SPAN = Pattern.compile("`([a-z_]+)`(:?)");

  /** A metric in PromQL, with its label matchers if any. */
  private static final Pattern PROMQL_SELECTOR =
      Pattern.compile(
          "workload_googleapis_com:(pipeline_reliability_[a-z0-9_]+)(?:\\{([^}]*)\\})?");

  private static final Pattern PROMQL_MATCHER = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

  /** The labels of a {@code by (...)} or {@code on (...)} clause. */
  private static final Pattern PROMQL_LABEL = Pattern.compile("[a-z_]+");

  private static final Pattern PROMQL_GROUPING = Pattern.compile("\\b(?:by|on) \\(([^)]*)\\)");

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

  @Test
  void readmeListsEachInstrumentsTypeAttributesAndEveryValueTheLibraryRecords() throws IOException {
    Map<String, Row> rows = readmeRows();
    Map<String, MetricData> recorded = new TreeMap<>();
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build()) {
      recordEveryValue(ReliabilityTelemetry.of(sdk));
      for (MetricData m : reader.collectAllMetrics()) {
        recorded.put(m.getName(), m);
      }
    }

    assertThat(recorded.keySet()).isEqualTo(rows.keySet());
    int valuesCompared = 0;
    for (Row row : rows.values()) {
      MetricData m = Objects.requireNonNull(recorded.get(row.name()), row.name());
      assertThat(m.getType())
          .as(row.name() + " is a " + row.type())
          .isEqualTo(
              row.type().equals("histogram") ? MetricDataType.HISTOGRAM : MetricDataType.LONG_SUM);
      if (m.getType() == MetricDataType.LONG_SUM) {
        assertThat(m.getLongSumData().isMonotonic()).as(row.name() + " only rises").isTrue();
      }
      Map<String, Set<String>> values = recordedValues(m);
      assertThat(values.keySet()).as(row.name() + " attribute keys").isEqualTo(row.keys().keySet());
      for (Map.Entry<String, Set<String>> listed : row.keys().entrySet()) {
        if (!listed.getValue().isEmpty()) {
          assertThat(values.get(listed.getKey()))
              .as(row.name() + " values of " + listed.getKey())
              .isEqualTo(listed.getValue());
          valuesCompared += listed.getValue().size();
        }
      }
    }
    // Guards the parse of the attributes column: 5 acquire outcomes, 2 hold outcomes, 4 loss
    // causes, 4 delivery outcomes, 3 trigger events, 2 validation statuses, 2 refusal causes and 4
    // health statuses.
    assertThat(valuesCompared).isEqualTo(26);
  }

  @Test
  void alertPoliciesAreMonitoringApiPoliciesOverListedMetricsLabelsAndValues() throws IOException {
    Map<String, Row> rows = readmeRows();
    Path policies = ReadmeSnippetsTest.repositoryRoot().resolve("examples/alert-policies");
    List<Path> files;
    try (Stream<Path> s = Files.list(policies)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    int conditions = 0;
    for (Path file : files) {
      AlertPolicy.Builder parsed = AlertPolicy.newBuilder();
      // Strict: a field or enum value the Monitoring API does not define fails the parse.
      JsonFormat.parser().merge(Files.readString(file), parsed);
      for (AlertPolicy.Condition c : parsed.build().getConditionsList()) {
        String where = file.getFileName() + " / " + c.getDisplayName();
        if (c.hasConditionThreshold()) {
          checkThreshold(where, c.getConditionThreshold(), rows);
        } else if (c.hasConditionPrometheusQueryLanguage()) {
          checkPromQl(where, c.getConditionPrometheusQueryLanguage().getQuery(), rows);
        } else {
          throw new AssertionError(where + ": a condition type this test does not check");
        }
        conditions++;
      }
    }
    assertThat(conditions).isEqualTo(3);
  }

  /** A threshold on a listed counter, aligned as a delta, grouped only by that counter's labels. */
  private static void checkThreshold(
      String where, AlertPolicy.Condition.MetricThreshold threshold, Map<String, Row> rows) {
    Matcher m = POLICY_METRIC.matcher(threshold.getFilter());
    assertThat(m.find()).as(where + " names a metric type").isTrue();
    Row row = listed(rows, m.group(1), where);
    assertThat(row.type()).as(where).isEqualTo("counter");
    assertThat(threshold.getAggregationsList()).as(where).isNotEmpty();
    for (Aggregation a : threshold.getAggregationsList()) {
      assertThat(a.getPerSeriesAligner()).as(where).isEqualTo(Aggregation.Aligner.ALIGN_DELTA);
      for (String field : a.getGroupByFieldsList()) {
        assertThat(field).as(where).startsWith("metric.label.");
        assertThat(row.keys()).as(where).containsKey(field.substring("metric.label.".length()));
      }
    }
  }

  /**
   * A query over listed counters ({@code increase} of each), whose {@code by}/{@code on} labels are
   * labels of every metric it names and whose matchers use listed labels and values.
   */
  private static void checkPromQl(String where, String query, Map<String, Row> rows) {
    Map<String, Row> byPromQlName = new TreeMap<>();
    rows.values().forEach(r -> byPromQlName.put(r.name().replace('.', '_'), r));
    List<Row> named = new ArrayList<>();
    int matchers = 0;
    Matcher m = PROMQL_SELECTOR.matcher(query);
    while (m.find()) {
      Row row = listed(byPromQlName, m.group(1), where);
      assertThat(row.type()).as(where + " increase() of a counter").isEqualTo("counter");
      named.add(row);
      if (m.group(2) != null) {
        Matcher matcher = PROMQL_MATCHER.matcher(m.group(2));
        while (matcher.find()) {
          matchers++;
          assertThat(row.keys()).as(where).containsKey(matcher.group(1));
          assertThat(row.keys().get(matcher.group(1))).as(where).contains(matcher.group(2));
        }
      }
    }
    assertThat(named).as(where).hasSize(2);
    assertThat(matchers).as(where + ": event=\"claimed\"").isEqualTo(1);
    Matcher labels = PROMQL_GROUPING.matcher(query);
    int groupings = 0;
    while (labels.find()) {
      Matcher label = PROMQL_LABEL.matcher(labels.group(1));
      while (label.find()) {
        for (Row row : named) {
          assertThat(row.keys()).as(where + " " + row.name()).containsKey(label.group());
        }
      }
      groupings++;
    }
    assertThat(groupings).as(where).isEqualTo(3);
  }

  private static Row listed(Map<String, Row> rows, String metric, String where) {
    Row row = rows.get(metric);
    if (row == null) {
      throw new AssertionError(where + ": metric " + metric + " is not in the README's table");
    }
    return row;
  }

  /** One row of the README's instrument table: attribute keys, each with its listed values. */
  private record Row(String name, String type, String unit, Map<String, Set<String>> keys) {}

  private static Map<String, Row> readmeRows() throws IOException {
    String readme = Files.readString(ReadmeSnippetsTest.repositoryRoot().resolve("README.md"));
    Map<String, Row> rows = new TreeMap<>();
    Matcher m = ROW_WITH_ATTRIBUTES.matcher(readme);
    while (m.find()) {
      rows.put(m.group(1), new Row(m.group(1), m.group(2), m.group(3), attributeCell(m.group(4))));
    }
    assertThat(rows).hasSize(readmeInstruments().size());
    return rows;
  }

  /**
   * The keys of an attributes cell such as {@code `lock_type`, `outcome`: `acquired`, `skipped`
   * (why), ...}: the key followed by a colon is enumerated, every later code span is one of its
   * values; {@code none} is no key.
   */
  private static Map<String, Set<String>> attributeCell(String cell) {
    Map<String, Set<String>> keys = new TreeMap<>();
    if (cell.strip().equals("none")) {
      return keys;
    }
    Matcher m = CODE_SPAN.matcher(cell);
    Set<String> enumerated = null;
    while (m.find()) {
      if (enumerated != null) {
        enumerated.add(m.group(1));
      } else {
        Set<String> values = new TreeSet<>();
        keys.put(m.group(1), values);
        if (!m.group(2).isEmpty()) {
          enumerated = values;
        }
      }
    }
    return keys;
  }

  /** Every attribute key of {@code m}'s points, with the values recorded under it. */
  private static Map<String, Set<String>> recordedValues(MetricData m) {
    List<Attributes> points = new ArrayList<>();
    if (m.getType() == MetricDataType.LONG_SUM) {
      m.getLongSumData().getPoints().forEach(p -> points.add(p.getAttributes()));
    } else {
      m.getHistogramData().getPoints().forEach(p -> points.add(p.getAttributes()));
    }
    Map<String, Set<String>> values = new TreeMap<>();
    for (Attributes a : points) {
      a.forEach(
          (key, value) ->
              values.computeIfAbsent(key.getKey(), k -> new TreeSet<>()).add(value.toString()));
    }
    return values;
  }

  /**
   * Records every instrument with every value the library records an attribute from: each constant
   * of the enums its recorders take, and each health status.
   */
  private static void recordEveryValue(ReliabilityTelemetry telemetry) {
    FakeClock clock = FakeClock.create();
    LockMetrics lock = telemetry.lock(clock);
    for (LockMetrics.AcquireOutcome o : LockMetrics.AcquireOutcome.values()) {
      lock.acquireFinished("t", o, clock.instant());
    }
    for (LockMetrics.HoldOutcome o : LockMetrics.HoldOutcome.values()) {
      lock.holdEnded("t", o, clock.instant());
    }
    for (LockLossCause cause : LockLossCause.values()) {
      lock.leaseLost("t", cause);
    }
    lock.renewalFailed("t");
    CompletionMetrics completion = telemetry.completion();
    for (RecordOutcome o : RecordOutcome.values()) {
      completion.delivered("p", o, true);
    }
    completion.triggerClaimed("p", Duration.ofHours(1), 1);
    completion.triggerPublished("p", false);
    completion.triggerPublished("p", true);
    telemetry.dedup().deduplicated(2, 1);
    ValidationMetrics validation = telemetry.validation();
    validation.validated("d.t", 0, 0);
    validation.validated("d.t", 1, 1);
    WriteMetrics writes = telemetry.writes();
    writes.recordWrite("d.t", () -> new WriteResult(1, 0, 0, 0, 2, List.of()));
    for (WriteMetrics.Refusal r : WriteMetrics.Refusal.values()) {
      writes.refused("d.t", r);
    }
    for (HealthStatus status : HealthStatus.values()) {
      telemetry.health().checked("c", status.name());
    }
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
