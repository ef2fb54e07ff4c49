package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * What {@link CompletionTracker#record} did, and the key's state right after it.
 *
 * <p>{@link #wonTrigger()} is true for exactly one call per trigger generation of a key, whatever
 * the number of duplicate or concurrent deliveries: the call whose compare-and-set claimed the
 * trigger. That call also published it, so {@link #trigger()} is confirmed. A claim left
 * unconfirmed is re-published only by {@link CompletionTracker#settle}, with the same trigger id,
 * and never makes a second {@code record} call the winner.
 *
 * <p>Immutable and thread-safe.
 *
 * @param outcome what happened to this completion
 * @param processor the processor that reported
 * @param state the key's state after this call, as this call last read or wrote it
 * @param trigger the trigger this call claimed and published, if it won the claim
 */
public record RecordResult(
    RecordOutcome outcome, String processor, CompletionState state, Optional<Trigger> trigger) {

  /**
   * Validates and creates a result.
   *
   * @param outcome what happened to this completion
   * @param processor the processor that reported
   * @param state the key's state after this call, as this call last read or wrote it
   * @param trigger the trigger this call claimed and published, if it won the claim
   */
  public RecordResult {
    requireNonNull(outcome, "outcome");
    requireNonNull(processor, "processor");
    requireNonNull(state, "state");
    requireNonNull(trigger, "trigger");
  }

  /**
   * The key recorded against.
   *
   * @return the key recorded against
   */
  public CompletionKey key() {
    return state.key();
  }

  /**
   * Whether this call claimed (and published) the downstream trigger.
   *
   * @return whether this call claimed (and published) the downstream trigger
   */
  public boolean wonTrigger() {
    return trigger.isPresent();
  }

  /**
   * The expected processors that have completed (derived).
   *
   * @return the expected processors that have completed (derived)
   */
  public Set<String> completed() {
    return state.completed();
  }

  /**
   * How many expected processors have completed (derived, never a stored counter).
   *
   * @return how many expected processors have completed (derived, never a stored counter)
   */
  public int completedCount() {
    return state.completedCount();
  }

  /**
   * The expected processors still missing.
   *
   * @return the expected processors still missing
   */
  public Set<String> missing() {
    return state.missing();
  }
}
