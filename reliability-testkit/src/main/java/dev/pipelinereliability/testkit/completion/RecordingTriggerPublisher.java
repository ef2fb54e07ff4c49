package dev.pipelinereliability.testkit.completion;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TriggerPublisher} for tests: remembers every trigger it published, and can be told to
 * fail its next publications, to simulate a crash or an outage between claim and publish.
 *
 * <p>Thread-safe.
 */
public final class RecordingTriggerPublisher implements TriggerPublisher {
  private final List<Trigger> published = new ArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();

  /** Creates a publisher that succeeds until told to fail. */
  public RecordingTriggerPublisher() {}

  /**
   * Makes the next {@code n} publications throw instead of publishing.
   *
   * @param n how many of the next publishes fail
   * @return this publisher
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public RecordingTriggerPublisher failNext(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be zero or positive, but was " + n);
    }
    failuresLeft.set(n);
    return this;
  }

  @Override
  public void publish(Trigger trigger) {
    requireNonNull(trigger, "trigger");
    attempts.incrementAndGet();
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("simulated publish failure for " + trigger.id());
    }
    synchronized (published) {
      published.add(trigger);
    }
  }

  /**
   * Returns the triggers published so far, oldest first.
   *
   * @return the triggers published so far, oldest first
   */
  public List<Trigger> published() {
    synchronized (published) {
      return List.copyOf(published);
    }
  }

  /**
   * Returns how many times {@link #publish} was called, failed calls included.
   *
   * @return how many times {@link #publish} was called, failed calls included
   */
  public int attempts() {
    return attempts.get();
  }
}
