package dev.pipelinereliability.retry;

import java.time.Duration;

/** The real sleep of {@link Sleeper#system()}. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }
}
