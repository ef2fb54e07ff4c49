package dev.pipelinereliability.testkit.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A private OpenTelemetry SDK whose metrics a test reads back: give {@link #openTelemetry()} to the
 * primitives under test, run a scenario, then read {@link #count} and {@link #histogram}. Values
 * are cumulative since creation.
 *
 * <p>Attributes are given as alternating names and values ({@code "lock_type", "nightly",
 * "outcome", "acquired"}); a point matches when it has exactly those attributes.
 *
 * <p>Thread-safe; {@link #close()} shuts the SDK down.
 */
public final class MetricsCapture implements AutoCloseable {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
          .build();

  private MetricsCapture() {}

  /**
   * Returns a capture with nothing recorded.
   *
   * @return a capture with nothing recorded
   */
  public static MetricsCapture create() {
    return new MetricsCapture();
  }

  /**
   * Returns the SDK to hand to the primitives under test.
   *
   * @return the SDK to hand to the primitives under test
   */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /**
   * Returns the value of counter {@code name} for exactly {@code attributes}, 0 if nothing was
   * recorded there.
   *
   * @param name the full instrument name
   * @param attributes alternating attribute names and values
   * @return the counter's value
   * @throws IllegalArgumentException if {@code name} is not a long counter, or the attributes are
   *     not in pairs
   */
  public long count(String name, String... attributes) {
    Attributes wanted = attributes(attributes);
    MetricData m = metric(name);
    if (m == null) {
      return 0;
    }
    if (m.getType() != MetricDataType.LONG_SUM) {
      throw new IllegalArgumentException(name + " is a " + m.getType() + ", not a long counter");
    }
    long sum = 0;
    for (LongPointData p : m.getLongSumData().getPoints()) {
      if (p.getAttributes().equals(wanted)) {
        sum += p.getValue();
      }
    }
    return sum;
  }

  /**
   * Returns the point of histogram {@code name} for exactly {@code attributes}.
   *
   * @param name the full instrument name
   * @param attributes alternating attribute names and values
   * @return the point (count, sum, min, max, buckets)
   * @throws AssertionError if nothing was recorded there; the message lists what was
   * @throws IllegalArgumentException if {@code name} is not a histogram, or the attributes are not
   *     in pairs
   */
  public HistogramPointData histogram(String name, String... attributes) {
    Attributes wanted = attributes(attributes);
    MetricData m = metric(name);
    if (m != null && m.getType() != MetricDataType.HISTOGRAM) {
      throw new IllegalArgumentException(name + " is a " + m.getType() + ", not a histogram");
    }
    if (m != null) {
      for (HistogramPointData p : m.getHistogramData().getPoints()) {
        if (p.getAttributes().equals(wanted)) {
          return p;
        }
      }
    }
    throw new AssertionError(
        "nothing recorded in " + name + " at " + wanted + "; recorded: " + points(name));
  }

  /**
   * Returns every point of {@code name} as attributes to value (a counter's value, a histogram's
   * count), for a failure message or a check that nothing else was recorded.
   *
   * @param name the full instrument name
   * @return the points, empty if none
   */
  public Map<Attributes, Long> points(String name) {
    MetricData m = metric(name);
    Map<Attributes, Long> points = new java.util.LinkedHashMap<>();
    if (m == null) {
      return points;
    }
    if (m.getType() == MetricDataType.LONG_SUM) {
      m.getLongSumData().getPoints().forEach(p -> points.put(p.getAttributes(), p.getValue()));
    } else if (m.getType() == MetricDataType.HISTOGRAM) {
      m.getHistogramData().getPoints().forEach(p -> points.put(p.getAttributes(), p.getCount()));
    }
    return points;
  }

  /**
   * Returns the names of the instruments that recorded something, with their units, as {@code name
   * unit}.
   *
   * @return the names and units, sorted
   */
  public Set<String> recordedInstruments() {
    Set<String> names = new TreeSet<>();
    for (MetricData m : reader.collectAllMetrics()) {
      names.add(m.getName() + " " + m.getUnit());
    }
    return names;
  }

  private @Nullable MetricData metric(String name) {
    requireNonNull(name, "name");
    Collection<MetricData> all = reader.collectAllMetrics();
    for (MetricData m : all) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  private static Attributes attributes(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes come in name/value pairs, got " + pairs.length + " strings");
    }
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.put(AttributeKey.stringKey(pairs[i]), pairs[i + 1]);
    }
    return b.build();
  }

  /** Shuts the SDK down. */
  @Override
  public void close() {
    sdk.close();
  }
}
