package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.Audit;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.SettleResult;
import dev.pipelinereliability.completion.Trigger;
import java.util.Optional;

/**
 * A {@link CompletionTracker} that forwards every call to {@link #delegate()}, in the style of
 * Guava's {@code Forwarding*} classes: a backend's public tracker class (with its own builder and
 * accessors) extends it and delegates to a {@link StoreBackedCompletionTracker} over its store.
 *
 * <p>Thread-safe if the delegate is.
 */
public abstract class ForwardingCompletionTracker implements CompletionTracker {
  /** Creates the forwarding tracker; subclasses supply {@link #delegate()}. */
  protected ForwardingCompletionTracker() {}

  /**
   * Returns the tracker every call is forwarded to.
   *
   * @return the delegate, the same on every call
   */
  protected abstract CompletionTracker delegate();

  @Override
  public CompletionConfig config() {
    return delegate().config();
  }

  @Override
  public RecordResult record(CompletionKey key, String processor, Completion completion) {
    return delegate().record(key, processor, completion);
  }

  @Override
  public CompletionState state(CompletionKey key) {
    return delegate().state(key);
  }

  @Override
  public SettleResult settle(CompletionKey key, Audit audit) {
    return delegate().settle(key, audit);
  }

  @Override
  public RecordResult markComplete(CompletionKey key, String processor, Audit audit) {
    return delegate().markComplete(key, processor, audit);
  }

  @Override
  public Optional<Trigger> forceTrigger(CompletionKey key, Audit audit) {
    return delegate().forceTrigger(key, audit);
  }

  @Override
  public Optional<Trigger> resetTrigger(CompletionKey key, Audit audit) {
    return delegate().resetTrigger(key, audit);
  }
}
