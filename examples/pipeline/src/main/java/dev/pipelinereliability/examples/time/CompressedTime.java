package dev.pipelinereliability.examples.time;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.ReliabilityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Simulated wall time that runs {@code factor} times faster than real time, so the replay can play
 * an incident that took minutes in seconds while real threads really race. Everything in the replay
 * reads time from {@link #clock()} and waits with {@link #sleep(Duration)}.
 *
 * <p>Thread-safe.
 */
public final class CompressedTime {
  private final Instant start;
  private final long startNanos;
  private final long factor;
  private final ZoneId zone;

  /**
   * Starts simulated time at {@code start}, running {@code factor} times faster than real time.
   *
   * @throws IllegalArgumentException if {@code factor} is not positive
   */
  public CompressedTime(Instant start, long factor, ZoneId zone) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be positive, but was " + factor);
    }
    this.start = requireNonNull(start, "start");
    this.zone = requireNonNull(zone, "zone");
    this.factor = factor;
    this.startNanos = System.nanoTime();
  }

  /** The current simulated instant. */
  public Instant now() {
    return start.plusNanos((System.nanoTime() - startNanos) * factor);
  }

  /** A clock that reads simulated time, for the library components the replay drives. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return new CompressedTime(start, factor, other).clock();
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /** Waits {@code simulated} of simulated time. */
  public void sleep(Duration simulated) {
    sleepUntil(now().plus(simulated));
  }

  /** Waits until simulated time reaches {@code instant}; returns at once if it has. */
  public void sleepUntil(Instant instant) {
    long realNanos = Duration.between(now(), instant).toNanos() / factor;
    if (realNanos <= 0) {
      return;
    }
    try {
      Thread.sleep(realNanos / 1_000_000, (int) (realNanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReliabilityException("replay interrupted", e);
    }
  }
}
