package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the store holds for one key, read at one moment, with everything derived from it.
 *
 * <p>The completed set and count are always <em>derived</em> from the recorded completions of
 * expected processors, never taken from a stored counter: {@link #storedCount()} is what the
 * document says (an older orchestrator's {@code _completed_count} may have drifted), and {@link
 * #countDrifted()} says whether it disagrees.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the phase and date
 * @param expected the phase's expected processors, from configuration
 * @param completions every recorded completion by processor name, including processors that are not
 *     expected (an older orchestrator may have stored them)
 * @param storedCount the count the store holds, if any
 * @param trigger the trigger claim, confirmed or not, if any
 * @param triggerGeneration the generation of the last trigger claimed for this key, 0 if none; it
 *     survives {@link CompletionTracker#resetTrigger}, so the next trigger gets a new id
 * @param auditTrail every override and repair, oldest first
 */
public record CompletionState(
    CompletionKey key,
    Set<String> expected,
    Map<String, RecordedCompletion> completions,
    OptionalInt storedCount,
    Optional<Trigger> trigger,
    int triggerGeneration,
    List<AuditEntry> auditTrail) {

  /**
   * Validates and creates a state.
   *
   * @param key the phase and date
   * @param expected the phase's expected processors, from configuration
   * @param completions every recorded completion by processor name, including processors that are
   *     not expected (an older orchestrator may have stored them)
   * @param storedCount the count the store holds, if any
   * @param trigger the trigger claim, confirmed or not, if any
   * @param triggerGeneration the generation of the last trigger claimed for this key, 0 if none; it
   *     survives {@link CompletionTracker#resetTrigger}, so the next trigger gets a new id
   * @param auditTrail every override and repair, oldest first
   * @throws IllegalArgumentException if a completion is filed under another processor's name, the
   *     stored count or generation is negative, or the trigger belongs to another key
   */
  public CompletionState {
    requireNonNull(key, "key");
    expected = Collections.unmodifiableSet(new LinkedHashSet<>(requireNonNull(expected)));
    requireNonNull(completions, "completions")
        .forEach(
            (name, c) -> {
              if (!name.equals(c.processor())) {
                throw new IllegalArgumentException(
                    "completion of '" + c.processor() + "' filed under '" + name + "'");
              }
            });
    completions = Collections.unmodifiableMap(new TreeMap<>(completions));
    requireNonNull(storedCount, "storedCount");
    if (storedCount.isPresent() && storedCount.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "storedCount must be zero or positive, but was " + storedCount.getAsInt());
    }
    requireNonNull(trigger, "trigger");
    if (trigger.isPresent() && !trigger.get().key().equals(key)) {
      throw new IllegalArgumentException(
          "trigger " + trigger.get().id() + " does not belong to " + key);
    }
    if (triggerGeneration < 0) {
      throw new IllegalArgumentException(
          "triggerGeneration must be zero or positive, but was " + triggerGeneration);
    }
    auditTrail = List.copyOf(requireNonNull(auditTrail, "auditTrail"));
  }

  /**
   * Returns the state of a key nothing was recorded for.
   *
   * @param key the phase and date
   * @param expected the phase's expected processors
   * @return the state of a key nothing was recorded for
   */
  public static CompletionState empty(CompletionKey key, Set<String> expected) {
    return new CompletionState(
        key, expected, Map.of(), OptionalInt.empty(), Optional.empty(), 0, List.of());
  }

  /**
   * The expected processors that have completed, sorted by name.
   *
   * @return the expected processors that have completed, sorted by name
   */
  public Set<String> completed() {
    Set<String> done = new TreeSet<>(completions.keySet());
    done.retainAll(expected);
    return Collections.unmodifiableSet(done);
  }

  /**
   * How many expected processors have completed: the derived count.
   *
   * @return how many expected processors have completed: the derived count
   */
  public int completedCount() {
    return completed().size();
  }

  /**
   * The expected processors that have not completed, in configuration order.
   *
   * @return the expected processors that have not completed, in configuration order
   */
  public Set<String> missing() {
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(completions.keySet());
    return Collections.unmodifiableSet(missing);
  }

  /**
   * Processors with a stored completion that the phase does not expect, sorted by name.
   *
   * @return the processors with a stored completion that the phase does not expect, sorted by name
   */
  public Set<String> unexpected() {
    Set<String> extra = new TreeSet<>(completions.keySet());
    extra.removeAll(expected);
    return Collections.unmodifiableSet(extra);
  }

  /**
   * Whether every expected processor has completed.
   *
   * @return whether every expected processor has completed
   */
  public boolean allComplete() {
    return completions.keySet().containsAll(expected);
  }

  /**
   * Whether a trigger is claimed, confirmed or not.
   *
   * @return whether a trigger is claimed, confirmed or not
   */
  public boolean triggered() {
    return trigger.isPresent();
  }

  /**
   * Whether the stored count disagrees with the derived one. A key with completions but no stored
   * count counts as drifted; a key with neither does not.
   *
   * @return whether the stored count disagrees with the derived one
   */
  public boolean countDrifted() {
    return storedCount.isPresent()
        ? storedCount.getAsInt() != completedCount()
        : completedCount() > 0;
  }

  /**
   * When the first expected processor's completion was recorded, if any has been.
   *
   * @return when the first expected processor's completion was recorded, if any has been
   */
  public Optional<Instant> firstCompletionAt() {
    return completions.values().stream()
        .filter(c -> expected.contains(c.processor()))
        .map(RecordedCompletion::recordedAt)
        .min(Instant::compareTo);
  }

  /**
   * Returns the completion recorded for {@code processor}, if any.
   *
   * @param processor a processor name
   * @return the completion recorded for {@code processor}, if any
   */
  public Optional<RecordedCompletion> completion(String processor) {
    return Optional.ofNullable(completions.get(processor));
  }
}
