package dev.pipelinereliability.health.alert;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.HealthStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link AlertHistory} held in this process's memory: right for a long-running service that runs
 * checks on a timer, useless across runs of a job that starts a new process each time.
 *
 * <p>Holds one entry per check name that has alerted and not been cleared. Thread-safe.
 */
public final class InMemoryAlertHistory implements AlertHistory {
  private final Map<String, Map<HealthStatus, Instant>> sent = new ConcurrentHashMap<>();

  @Override
  public Optional<Instant> lastSent(String checkName, HealthStatus status) {
    requireNonNull(status, "status");
    Map<HealthStatus, Instant> byStatus = sent.get(requireNonNull(checkName, "checkName"));
    if (byStatus == null) {
      return Optional.empty();
    }
    synchronized (byStatus) {
      return Optional.ofNullable(byStatus.get(status));
    }
  }

  @Override
  public void recordSent(String checkName, HealthStatus status, Instant at) {
    requireNonNull(status, "status");
    requireNonNull(at, "at");
    Map<HealthStatus, Instant> byStatus =
        sent.computeIfAbsent(
            requireNonNull(checkName, "checkName"), k -> new EnumMap<>(HealthStatus.class));
    synchronized (byStatus) {
      byStatus.put(status, at);
    }
  }

  @Override
  public void clear(String checkName) {
    sent.remove(requireNonNull(checkName, "checkName"));
  }
}
