package dev.pipelinereliability.testkit.completion;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.time.Clock;
import java.util.concurrent.locks.LockSupport;

class InMemoryCompletionTrackerTest extends CompletionTrackerContract {
  // A pause between read and write makes concurrent callers interleave as they do on a real store.
  private final InMemoryCompletionTracker.Store store =
      new InMemoryCompletionTracker.Store(() -> LockSupport.parkNanos(200_000));

  @Override
  protected CompletionTracker newTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    return InMemoryCompletionTracker.withStore(store, config, publisher, clock);
  }
}
