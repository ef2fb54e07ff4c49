package dev.pipelinereliability.completion.spi;

import java.time.Duration;

/**
 * The time source and the sleep of a tracker's retry loop, injectable so tests pace retries with a
 * fake clock instead of sleeping. {@link #system()} measures with {@link System#nanoTime()} (never
 * the wall clock, which may jump) and sleeps with {@link Thread#sleep(long, int)}.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Pacing {
  /**
   * A monotonic time in nanoseconds; only differences are meaningful.
   *
   * @return a monotonic time in nanoseconds
   */
  long nanoTime();

  /**
   * Waits {@code duration}.
   *
   * @param duration how long to wait
   * @throws InterruptedException if interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Returns real time: {@link System#nanoTime()} and {@link Thread#sleep(long, int)}.
   *
   * @return real time: {@link System#nanoTime()} and {@link Thread#sleep(long, int)}
   */
  static Pacing system() {
    return SystemPacing.INSTANCE;
  }
}
