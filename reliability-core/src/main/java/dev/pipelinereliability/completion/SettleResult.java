package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What {@link CompletionTracker#settle} changed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param before the state when settling started
 * @param after the state when settling ended
 * @param changes what was written, in words, in order (empty when nothing needed writing)
 * @param published the trigger this call published (claimed now, or re-published with its id)
 */
public record SettleResult(
    CompletionState before,
    CompletionState after,
    List<String> changes,
    Optional<Trigger> published) {

  /**
   * Validates and creates a result.
   *
   * @param before the state when settling started
   * @param after the state when settling ended
   * @param changes what was written, in words, in order (empty when nothing needed writing)
   * @param published the trigger this call published (claimed now, or re-published with its id)
   */
  public SettleResult {
    requireNonNull(before, "before");
    requireNonNull(after, "after");
    changes = List.copyOf(requireNonNull(changes, "changes"));
    requireNonNull(published, "published");
  }

  /**
   * Whether anything was written.
   *
   * @return whether anything was written
   */
  public boolean changed() {
    return !changes.isEmpty();
  }
}
