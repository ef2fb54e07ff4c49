package dev.pipelinereliability.completion.spi;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.AuditEntry;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One write a backend applies atomically (as a compare-and-set) to a key's stored state: any of a
 * processor's completion, the stored count, the trigger (set or cleared) and one audit entry.
 *
 * <p>{@link #applyTo(CompletionState)} defines what the write means; a backend's stored document
 * must read back as exactly that state.
 *
 * <p>Immutable and thread-safe.
 *
 * @param completion a completion to store under its processor's name, replacing any stored one
 * @param storedCount the count to store
 * @param trigger a trigger to store, replacing any stored one
 * @param clearTrigger whether to remove the stored trigger (the generation is kept)
 * @param audit an entry to append to the audit trail
 */
public record StateChange(
    Optional<RecordedCompletion> completion,
    OptionalInt storedCount,
    Optional<Trigger> trigger,
    boolean clearTrigger,
    Optional<AuditEntry> audit) {

  private static final StateChange NONE =
      new StateChange(
          Optional.empty(), OptionalInt.empty(), Optional.empty(), false, Optional.empty());

  /**
   * Validates and creates a change.
   *
   * @param completion a completion to store under its processor's name, replacing any stored one
   * @param storedCount the count to store
   * @param trigger a trigger to store, replacing any stored one
   * @param clearTrigger whether to remove the stored trigger (the generation is kept)
   * @param audit an entry to append to the audit trail
   * @throws IllegalArgumentException if it both sets and clears the trigger
   */
  public StateChange {
    requireNonNull(completion, "completion");
    requireNonNull(storedCount, "storedCount");
    requireNonNull(trigger, "trigger");
    requireNonNull(audit, "audit");
    if (clearTrigger && trigger.isPresent()) {
      throw new IllegalArgumentException("a change cannot both set and clear the trigger");
    }
  }

  /**
   * Returns the change that changes nothing.
   *
   * @return the change that changes nothing
   */
  public static StateChange none() {
    return NONE;
  }

  /**
   * Whether this change writes nothing.
   *
   * @return whether this change writes nothing
   */
  public boolean isEmpty() {
    return completion.isEmpty()
        && storedCount.isEmpty()
        && trigger.isEmpty()
        && !clearTrigger
        && audit.isEmpty();
  }

  /**
   * Returns this change also storing {@code c}.
   *
   * @param c the completion
   * @return this change also storing {@code c}
   */
  public StateChange withCompletion(RecordedCompletion c) {
    return new StateChange(Optional.of(c), storedCount, trigger, clearTrigger, audit);
  }

  /**
   * Returns this change also storing the count {@code count}.
   *
   * @param count the count
   * @return this change also storing the count {@code count}
   */
  public StateChange withStoredCount(int count) {
    return new StateChange(completion, OptionalInt.of(count), trigger, clearTrigger, audit);
  }

  /**
   * Returns this change also storing {@code t}.
   *
   * @param t the trigger
   * @return this change also storing {@code t}
   */
  public StateChange withTrigger(Trigger t) {
    return new StateChange(completion, storedCount, Optional.of(t), false, audit);
  }

  /**
   * Returns this change also clearing the trigger.
   *
   * @return this change also clearing the trigger
   */
  public StateChange withTriggerCleared() {
    return new StateChange(completion, storedCount, Optional.empty(), true, audit);
  }

  /**
   * Returns this change also appending {@code entry} to the audit trail.
   *
   * @param entry the audit entry
   * @return this change also appending {@code entry} to the audit trail
   */
  public StateChange withAudit(AuditEntry entry) {
    return new StateChange(completion, storedCount, trigger, clearTrigger, Optional.of(entry));
  }

  /**
   * Returns {@code state} with this change applied: the meaning of the change.
   *
   * @param state the state before the change
   * @return {@code state} with this change applied: the meaning of the change
   */
  public CompletionState applyTo(CompletionState state) {
    Map<String, RecordedCompletion> completions = new HashMap<>(state.completions());
    completion.ifPresent(c -> completions.put(c.processor(), c));
    OptionalInt count = storedCount.isPresent() ? storedCount : state.storedCount();
    Optional<Trigger> t = clearTrigger ? Optional.empty() : trigger.or(state::trigger);
    int generation =
        Math.max(state.triggerGeneration(), trigger.map(Trigger::generation).orElse(0));
    List<AuditEntry> trail = new ArrayList<>(state.auditTrail());
    audit.ifPresent(trail::add);
    return new CompletionState(
        state.key(), state.expected(), completions, count, t, generation, trail);
  }
}
