package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When to stop waiting for the last processors of a phase: once {@code afterFirstCompletion} has
 * passed since the phase's first recorded completion for a date, and at least {@code
 * minimumProcessors} expected processors have completed, the trigger may be claimed with reason
 * {@link Trigger#REASON_DEADLINE}, recording which processors were missing.
 *
 * <p>The deadline is checked whenever the key is touched: by every {@link CompletionTracker#record}
 * and by {@link CompletionTracker#settle}. When no message arrives after the deadline, a scheduled
 * {@code settle} or the reconciler fires it. Time is the tracker's clock.
 *
 * <p>Immutable and thread-safe.
 *
 * @param afterFirstCompletion how long after the first completion the phase stops waiting;
 *     positive, at most {@value #MAX_DAYS} days
 * @param minimumProcessors how many expected processors must have completed for a deadline trigger;
 *     at least 1 (and at most the phase's expected count, checked by {@link PhaseConfig})
 */
public record DeadlinePolicy(Duration afterFirstCompletion, int minimumProcessors) {
  static final int MAX_DAYS = 7;

  /**
   * Validates and creates a policy.
   *
   * @throws IllegalArgumentException if the duration is not positive or longer than 7 days, or the
   *     minimum is below 1
   */
  public DeadlinePolicy {
    requireNonNull(afterFirstCompletion, "afterFirstCompletion");
    if (afterFirstCompletion.isNegative()
        || afterFirstCompletion.isZero()
        || afterFirstCompletion.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
      throw new IllegalArgumentException(
          "afterFirstCompletion must be positive and at most "
              + MAX_DAYS
              + " days, but was "
              + afterFirstCompletion);
    }
    if (minimumProcessors < 1) {
      throw new IllegalArgumentException(
          "minimumProcessors must be at least 1, but was " + minimumProcessors);
    }
  }

  /**
   * Returns a policy that triggers {@code afterFirstCompletion} after the first completion if at
   * least {@code minimumProcessors} have completed.
   *
   * @throws IllegalArgumentException if either value breaks the rules above
   */
  public static DeadlinePolicy afterFirstCompletion(Duration afterFirstCompletion, int minimum) {
    return new DeadlinePolicy(afterFirstCompletion, minimum);
  }
}
