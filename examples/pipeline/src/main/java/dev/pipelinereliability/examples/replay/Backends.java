package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.time.Clock;

/**
 * Where the library run keeps its locks and completion state: in memory (the default) or on a
 * Firestore emulator ({@link FirestoreBackends}).
 */
interface Backends extends AutoCloseable {

  /** A lock store whose leases run on {@code clock} where the backend uses a client clock. */
  DistributedLock locks(Clock clock);

  /** A completion tracker for {@code config}. */
  CompletionTracker tracker(CompletionConfig config, TriggerPublisher publisher, Clock clock);

  /** What the table calls these backends. */
  String description();

  @Override
  void close();

  /** The testkit's in-memory backends. */
  static Backends inMemory() {
    return new Backends() {
      @Override
      public DistributedLock locks(Clock clock) {
        return new InMemoryDistributedLock(clock);
      }

      @Override
      public CompletionTracker tracker(
          CompletionConfig config, TriggerPublisher publisher, Clock clock) {
        return new InMemoryCompletionTracker(config, publisher, clock);
      }

      @Override
      public String description() {
        return "in-memory backends";
      }

      @Override
      public void close() {}
    };
  }
}
