package dev.pipelinereliability.retry;

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
   * Returns the real sleep, {@link Thread#sleep(long, int)}.
   *
   * @return the real sleep; thread-safe
   */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
