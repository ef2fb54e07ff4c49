package dev.pipelinereliability.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The instruments of pipeline-reliability on one {@link OpenTelemetry} instance, created once per
 * instance (however many primitives share it) and handed out as one recorder per primitive: {@link
 * #lock(Clock)}, {@link #completion()}, {@link #dedup()}, {@link #validation()}, {@link #writes()},
 * {@link #health()}.
 *
 * <p>Every instrument name starts with {@value #PREFIX}; durations are histograms in seconds
 * ({@code s}), counts are counters with a {@code {unit}} annotation. Without an installed SDK (the
 * default {@link OpenTelemetry#noop()} behaviour of {@link GlobalOpenTelemetry}) recording does
 * nothing.
 *
 * <p>Thread-safe.
 */
public final class ReliabilityTelemetry {
  /** The prefix of every instrument name. */
  public static final String PREFIX = "pipeline_reliability.";

  /** The instrumentation scope (meter) name the instruments are registered under. */
  public static final String SCOPE = "dev.pipelinereliability";

  static final AttributeKey<String> LOCK_TYPE = AttributeKey.stringKey("lock_type");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  static final AttributeKey<String> CAUSE = AttributeKey.stringKey("cause");
  static final AttributeKey<String> PHASE = AttributeKey.stringKey("phase");
  static final AttributeKey<String> EVENT = AttributeKey.stringKey("event");
  static final AttributeKey<String> TABLE = AttributeKey.stringKey("table");
  static final AttributeKey<String> CHECK = AttributeKey.stringKey("check");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");

  /** Keyed by identity (no OpenTelemetry implementation overrides equals) and never kept alive. */
  private static final Map<OpenTelemetry, ReliabilityTelemetry> INSTANCES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final LockMetrics.Instruments lock;
  private final CompletionMetrics completion;
  private final DedupMetrics dedup;
  private final ValidationMetrics validation;
  private final WriteMetrics writes;
  private final HealthMetrics health;

  private ReliabilityTelemetry(OpenTelemetry openTelemetry) {
    Meter meter = openTelemetry.getMeter(SCOPE);
    this.lock = new LockMetrics.Instruments(meter);
    this.completion = new CompletionMetrics(meter);
    this.dedup = new DedupMetrics(meter);
    this.validation = new ValidationMetrics(meter);
    this.writes = new WriteMetrics(meter);
    this.health = new HealthMetrics(meter);
  }

  /**
   * Returns the instruments on {@code openTelemetry}, creating them on the first call for that
   * instance.
   *
   * @param openTelemetry the OpenTelemetry instance whose meter provider receives the measurements
   * @return the instruments on {@code openTelemetry}
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static ReliabilityTelemetry of(OpenTelemetry openTelemetry) {
    requireNonNull(openTelemetry, "openTelemetry");
    return INSTANCES.computeIfAbsent(openTelemetry, ReliabilityTelemetry::new);
  }

  /**
   * Returns the instruments on {@link GlobalOpenTelemetry#get()}, read now: install the SDK (with
   * {@code GlobalOpenTelemetry.set} or the SDK's autoconfiguration) before building the primitives
   * that should report to it. Like every library on the global instance, the first read also fixes
   * it, so an SDK installed later is refused by {@code GlobalOpenTelemetry.set}.
   *
   * @return the instruments on the global OpenTelemetry instance
   */
  public static ReliabilityTelemetry global() {
    return of(GlobalOpenTelemetry.get());
  }

  /**
   * Returns the lock recorder, which times waits and holds on {@code clock}.
   *
   * @param clock the clock of the lock backend
   * @return the lock recorder
   * @throws NullPointerException if {@code clock} is null
   */
  public LockMetrics lock(Clock clock) {
    return new LockMetrics(lock, clock);
  }

  /**
   * Returns the completion tracker recorder.
   *
   * @return the completion tracker recorder
   */
  public CompletionMetrics completion() {
    return completion;
  }

  /**
   * Returns the dedup recorder.
   *
   * @return the dedup recorder
   */
  public DedupMetrics dedup() {
    return dedup;
  }

  /**
   * Returns the duplicate validation recorder.
   *
   * @return the duplicate validation recorder
   */
  public ValidationMetrics validation() {
    return validation;
  }

  /**
   * Returns the partition write recorder.
   *
   * @return the partition write recorder
   */
  public WriteMetrics writes() {
    return writes;
  }

  /**
   * Returns the health check recorder.
   *
   * @return the health check recorder
   */
  public HealthMetrics health() {
    return health;
  }

  /** A counter named {@link #PREFIX} + {@code name}. */
  static LongCounter counter(Meter meter, String name, String unit, String description) {
    return meter.counterBuilder(PREFIX + name).setUnit(unit).setDescription(description).build();
  }

  /** A histogram in seconds named {@link #PREFIX} + {@code name}, with these bucket bounds. */
  static DoubleHistogram seconds(
      Meter meter, String name, String description, List<Double> boundaries) {
    return meter
        .histogramBuilder(PREFIX + name)
        .setUnit("s")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(boundaries)
        .build();
  }

  /** Returns {@code value}, or throws if it is negative: a count is never taken back. */
  static long checkCount(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + value);
    }
    return value;
  }

  /**
   * {@code d} in seconds, to the nanosecond; a negative duration (a clock set back) counts as 0.
   */
  static double toSeconds(Duration d) {
    return d.isNegative() ? 0 : d.getSeconds() + d.getNano() / 1e9;
  }
}
