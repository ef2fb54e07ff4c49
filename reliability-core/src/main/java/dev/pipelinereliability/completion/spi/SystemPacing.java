package dev.pipelinereliability.completion.spi;

import java.time.Duration;

/** Real time for {@link Pacing#system()}. */
enum SystemPacing implements Pacing {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }
}
