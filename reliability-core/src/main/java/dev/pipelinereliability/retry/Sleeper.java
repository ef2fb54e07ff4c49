package dev.pipelinereliability.retry;

import java.time.Clock;
import java.time.Duration;

/**
 * Waits between retries. Injected wherever the library retries, so a test passes the testkit's
 * {@code FakeClock} (whose {@code sleep} advances the fake time) and nothing really sleeps.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}.
   *
   * @param duration how long to wait; zero or positive
   * @throws InterruptedException if interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Returns the clock on which this sleeper's waits pass, so that a retry deadline is measured in
   * the same time as the waits: real time (the system UTC clock) by default, the fake time itself
   * for the testkit's {@code FakeClock}. A business clock that runs at another speed (a compressed
   * replay clock, a fake clock that sleeps do not advance) must not be used for a retry deadline.
   *
   * @return the clock a retry deadline is measured on; thread-safe
   */
  default Clock elapsedClock() {
    return Clock.systemUTC();
  }

  /**
   * Returns the real sleep, {@link Thread#sleep(long, int)}.
   *
   * @return the real sleep; thread-safe
   */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
