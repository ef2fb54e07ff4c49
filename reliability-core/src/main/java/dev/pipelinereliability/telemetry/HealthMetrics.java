package dev.pipelinereliability.telemetry;

import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.CHECK;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.STATUS;
import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records health check results: one count per check run, by check name and status.
 *
 * <p>Thread-safe.
 */
public final class HealthMetrics {
  private final LongCounter checks;

  /**
   * Check name, then status: built once per pair. Takes the status as text so that this package
   * does not depend on the health package, which depends on it.
   */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Attributes>> attributes =
      new ConcurrentHashMap<>();

  HealthMetrics(Meter meter) {
    checks =
        ReliabilityTelemetry.counter(
            meter, "health.checks", "{check}", "Health check results, by check and status");
  }

  /**
   * Counts one check result.
   *
   * @param check the check's name
   * @param status its status ({@code HealthStatus.name()}); recorded in lower case
   * @throws NullPointerException if an argument is null
   */
  public void checked(String check, String status) {
    requireNonNull(status, "status");
    Attributes a =
        attributes
            .computeIfAbsent(requireNonNull(check, "check"), c -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                status, s -> Attributes.of(CHECK, check, STATUS, s.toLowerCase(Locale.ROOT)));
    checks.add(1, a);
  }
}
