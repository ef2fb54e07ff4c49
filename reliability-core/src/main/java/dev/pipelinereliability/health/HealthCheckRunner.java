package dev.pipelinereliability.health;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.pipelinereliability.telemetry.HealthMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fixed list of {@link HealthCheck}s one after another, collects a {@link HealthReport}, and
 * sends every finding to the configured {@link AlertSink}s.
 *
 * <p>Guarantees, which are what make the exit code trustworthy:
 *
 * <ul>
 *   <li>every check appears in the report exactly once, under its {@link HealthCheck#name()}, in
 *       the order it was added;
 *   <li>a check that throws a {@link RuntimeException} or a {@link LinkageError} (a missing class),
 *       or returns null, is reported as {@link HealthStatus#ERROR} with the exception's class and
 *       message in its details; the remaining checks still run;
 *   <li>once the running thread is interrupted, the checks not yet started are reported as {@link
 *       HealthStatus#ERROR} without being run, and the interrupt flag stays set;
 *   <li>alerts are sent after every check has finished; a sink that throws is logged and skipped,
 *       so a failed alert never changes the report or stops the other sinks.
 * </ul>
 *
 * <p>Immutable and thread-safe if its checks and sinks are; {@link Builder} is not thread-safe.
 */
public final class HealthCheckRunner {
  private static final Logger log = LoggerFactory.getLogger(HealthCheckRunner.class);

  private final List<HealthCheck> checks;
  private final List<AlertSink> sinks;
  private final Clock clock;
  private final HealthMetrics metrics;

  private HealthCheckRunner(Builder builder) {
    this.checks = ImmutableList.copyOf(builder.checks);
    this.sinks = ImmutableList.copyOf(builder.sinks);
    this.clock = builder.clock;
    this.metrics =
        (builder.openTelemetry == null
                ? ReliabilityTelemetry.global()
                : ReliabilityTelemetry.of(builder.openTelemetry))
            .health();
  }

  /**
   * Returns a builder with no checks, no sinks and the system UTC clock.
   *
   * @return a builder with no checks, no sinks and the system UTC clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the checks this runner runs, in order.
   *
   * @return the checks this runner runs, in order
   */
  public List<HealthCheck> checks() {
    return checks;
  }

  /**
   * Runs every check once and alerts on the results.
   *
   * @return the report; never throws for a failing check or sink
   */
  public HealthReport run() {
    var generatedAt = clock.instant();
    List<CheckResult> results = new ArrayList<>(checks.size());
    for (HealthCheck check : checks) {
      CheckResult result = runOne(check);
      metrics.checked(result.name(), result.status().name());
      results.add(result);
    }
    HealthReport report = new HealthReport(generatedAt, results);
    alert(report);
    return report;
  }

  private static CheckResult runOne(HealthCheck check) {
    String name = check.name();
    if (Thread.currentThread().isInterrupted()) {
      return new CheckResult(
          name, HealthStatus.ERROR, "not run: the health check thread was interrupted", Map.of());
    }
    try {
      CheckResult result = check.run();
      if (result == null) {
        return new CheckResult(
            name, HealthStatus.ERROR, "could not run: the check returned no result", Map.of());
      }
      return result.name().equals(name)
          ? result
          : new CheckResult(name, result.status(), result.message(), result.details());
    } catch (RuntimeException | LinkageError e) {
      // Logged with the stack trace here because the report keeps only class and message.
      log.warn("health check '{}' could not run", name, e);
      return CheckResult.error(
          name, "could not run: " + e.getClass().getSimpleName() + messageSuffix(e), e);
    }
  }

  private static String messageSuffix(Throwable e) {
    return e.getMessage() == null ? "" : ": " + e.getMessage();
  }

  private void alert(HealthReport report) {
    for (CheckResult result : report.results()) {
      for (AlertSink sink : sinks) {
        try {
          if (result.isIssue()) {
            sink.send(result);
          } else {
            sink.resolved(result);
          }
        } catch (RuntimeException e) {
          // A failed alert must never fail the check: log it and carry on with the next sink.
          log.warn(
              "alert sink {} failed for health check '{}': {}", sink, result.name(), e.toString());
        }
      }
    }
  }

  /** Collects checks, sinks and a clock for a {@link HealthCheckRunner}. Not thread-safe. */
  public static final class Builder {
    private final List<HealthCheck> checks = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final List<AlertSink> sinks = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable OpenTelemetry openTelemetry;

    private Builder() {}

    /**
     * Adds a check; checks run in the order they were added.
     *
     * @param check the check
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid or already used by an added check
     */
    public Builder addCheck(HealthCheck check) {
      requireNonNull(check, "check");
      String name = CheckResult.validateName(check.name());
      if (!names.add(name)) {
        throw new IllegalArgumentException("a health check named '" + name + "' was already added");
      }
      checks.add(check);
      return this;
    }

    /**
     * Adds every check in {@code checks}, in order.
     *
     * @param checks the checks
     * @return this builder
     * @throws IllegalArgumentException as {@link #addCheck} does
     */
    public Builder addChecks(Iterable<? extends HealthCheck> checks) {
      for (HealthCheck check : requireNonNull(checks, "checks")) {
        addCheck(check);
      }
      return this;
    }

    /**
     * Adds a sink that receives every finding; sinks are called in the order they were added.
     *
     * @param sink the sink
     * @return this builder
     */
    public Builder addAlertSink(AlertSink sink) {
      sinks.add(requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Sets the clock that stamps {@link HealthReport#generatedAt()}. Checks that need time take
     * their own clock, normally the same one.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where the runner reports one count per check result ({@code
     * pipeline_reliability.health.checks}, by check and status). Default: {@link
     * GlobalOpenTelemetry#get()}, read once by {@link #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Returns a runner with the checks and sinks added so far.
     *
     * @return a runner with the checks and sinks added so far
     */
    public HealthCheckRunner build() {
      return new HealthCheckRunner(this);
    }
  }
}
