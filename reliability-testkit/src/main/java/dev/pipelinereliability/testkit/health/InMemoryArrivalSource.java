package dev.pipelinereliability.testkit.health;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.health.freshness.ArrivalUnavailableException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ArrivalSource} held in memory, for tests and for examples that replay an incident.
 * Record loads with {@link #recordArrival}; like a load-time column read with {@code MAX}, the
 * latest recorded load of a date wins. {@link #makeUnreachable()} makes every question fail as a
 * backend outage would.
 *
 * <p>Passes {@link ArrivalSourceContract}. Thread-safe.
 */
public final class InMemoryArrivalSource implements ArrivalSource {
  private final String name;
  private final Map<LocalDate, Instant> latest = new ConcurrentHashMap<>();
  private volatile boolean unreachable;

  /**
   * Creates an empty source.
   *
   * @param name the source's name, used in exception messages
   */
  public InMemoryArrivalSource(String name) {
    this.name = requireNonNull(name, "name");
  }

  /**
   * Records that data for {@code date} was loaded at {@code at}; an earlier load of the same date
   * is superseded, a later one already recorded is kept.
   *
   * @param date the date
   * @param at the at
   * @return this source
   */
  public InMemoryArrivalSource recordArrival(LocalDate date, Instant at) {
    requireNonNull(date, "date");
    requireNonNull(at, "at");
    latest.merge(date, at, (a, b) -> a.isAfter(b) ? a : b);
    return this;
  }

  /** Makes every later {@link #latestArrival} throw {@link ArrivalUnavailableException}. */
  public void makeUnreachable() {
    unreachable = true;
  }

  /** Undoes {@link #makeUnreachable()}. */
  public void makeReachable() {
    unreachable = false;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ArrivalUnavailableException while {@link #makeUnreachable()} is in effect
   */
  @Override
  public Optional<Instant> latestArrival(LocalDate date) {
    requireNonNull(date, "date");
    if (unreachable) {
      throw new ArrivalUnavailableException(
          "arrival source '" + name + "' is unreachable (simulated) for " + date, null);
    }
    return Optional.ofNullable(latest.get(date));
  }

  @Override
  public String toString() {
    return "InMemoryArrivalSource[" + name + "]";
  }
}
