package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a phase stops waiting for its last processors: once the policy's deadline for a key has
 * passed and at least {@link #minimumProcessors()} expected processors have completed, the trigger
 * may be claimed with reason {@link Trigger#REASON_DEADLINE}, recording the processors still
 * missing in {@link Trigger#missing()}.
 *
 * <p>Two kinds:
 *
 * <ul>
 *   <li>{@link #afterFirstCompletion(Duration, int)}: a delay after the key's first recorded
 *       completion ("4 hours after the first processor finished"), the earliest completion time
 *       among the completions stored now: a completion replaced by one with a newer fencing token
 *       counts from its replacement, so such a replacement of the first one moves the deadline
 *       later;
 *   <li>{@link #atLocalTime(LocalTime, ZoneId, int, int)}: a wall-clock time in a time zone, some
 *       days after the key's date ("10:00 America/New_York on the day after the game date, with
 *       whoever finished"). The time is resolved with the zone's rules for that very date, so it is
 *       right across daylight saving changes: a time in the spring-forward gap moves forward by the
 *       gap, one in the fall-back overlap takes the earlier instant (as the freshness check does).
 * </ul>
 *
 * <p><b>How a deadline fires.</b> A tracker checks the deadline whenever a delivery is answered
 * {@link RecordOutcome#RECORDED} or {@link RecordOutcome#DUPLICATE} (not {@code STALE} or {@code
 * UNEXPECTED}, which touch nothing) and on every {@link CompletionTracker#settle}. When no message
 * arrives after the deadline, nothing touches the key by itself: run {@code settle} (or the
 * reconciler's fix mode, which finds {@code deadline_not_triggered} and settles) on a schedule, for
 * example every 15 minutes from Cloud Scheduler; the trigger then fires at the first run after the
 * deadline. Time is the tracker's clock.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface DeadlinePolicy
    permits DeadlinePolicy.AfterFirstCompletion, DeadlinePolicy.AtLocalTime {

  /** Longest relative deadline, in days. */
  int MAX_DAYS = 7;

  /** Most days after the key's date a wall-clock deadline may fall. */
  int MAX_DAYS_AFTER = 31;

  /**
   * How many expected processors must have completed for a deadline trigger.
   *
   * @return at least 1 (and at most the phase's expected count, checked by {@link PhaseConfig})
   */
  int minimumProcessors();

  /**
   * When the deadline of {@code state}'s key falls.
   *
   * @param state the key's current state
   * @return the deadline, or empty while it is not determined yet (a relative deadline before the
   *     first completion)
   */
  Optional<Instant> dueAt(CompletionState state);

  /**
   * Describes the deadline of {@code state}'s key for a trigger's note, for example {@code
   * "deadline 10:00 America/New_York on 2026-03-08 (2026-03-08T14:00:00Z)"}.
   *
   * @param state the key's current state
   * @return a one-line description
   */
  String describe(CompletionState state);

  /**
   * Whether a deadline trigger is due for {@code state} at {@code now}: the deadline has passed
   * (exactly at it counts) and at least {@link #minimumProcessors()} expected processors have
   * completed.
   *
   * @param state the key's current state
   * @param now the current time, from the tracker's clock
   * @return true if the trigger may be claimed with reason {@link Trigger#REASON_DEADLINE}
   */
  default boolean passed(CompletionState state, Instant now) {
    requireNonNull(now, "now");
    Optional<Instant> due = dueAt(requireNonNull(state, "state"));
    return due.isPresent()
        && !now.isBefore(due.get())
        && state.completedCount() >= minimumProcessors();
  }

  /**
   * Returns a policy that triggers {@code afterFirstCompletion} after the first completion if at
   * least {@code minimum} processors have completed.
   *
   * @param afterFirstCompletion positive, at most {@value #MAX_DAYS} days
   * @param minimum at least 1
   * @return the policy
   * @throws IllegalArgumentException if either value breaks the rules above
   */
  static AfterFirstCompletion afterFirstCompletion(Duration afterFirstCompletion, int minimum) {
    return new AfterFirstCompletion(afterFirstCompletion, minimum);
  }

  /**
   * Returns a policy that triggers at {@code time} in {@code zone} on the day {@code daysAfter}
   * days after the key's date, if at least {@code minimum} processors have completed: {@code
   * atLocalTime(LocalTime.of(10, 0), ZoneId.of("America/New_York"), 1, 3)} is "10:00 New York on
   * D+1 with at least 3".
   *
   * @param time the local time of the deadline
   * @param zone the zone {@code time} is in
   * @param daysAfter 0 to {@value #MAX_DAYS_AFTER}: the deadline's day is the key's date plus this
   * @param minimum at least 1
   * @return the policy
   * @throws IllegalArgumentException if a value breaks the rules above
   */
  static AtLocalTime atLocalTime(LocalTime time, ZoneId zone, int daysAfter, int minimum) {
    return new AtLocalTime(time, zone, daysAfter, minimum);
  }

  private static void checkMinimum(int minimumProcessors) {
    if (minimumProcessors < 1) {
      throw new IllegalArgumentException(
          "minimumProcessors must be at least 1, but was " + minimumProcessors);
    }
  }

  /**
   * A deadline {@code delay} after the key's first recorded completion.
   *
   * @param delay how long after the first completion the phase stops waiting; positive, at most
   *     {@value DeadlinePolicy#MAX_DAYS} days
   * @param minimumProcessors how many expected processors must have completed; at least 1
   */
  record AfterFirstCompletion(Duration delay, int minimumProcessors) implements DeadlinePolicy {
    /**
     * Validates and creates the policy.
     *
     * @param delay how long after the first completion the phase stops waiting; positive, at most
     *     {@value DeadlinePolicy#MAX_DAYS} days
     * @param minimumProcessors how many expected processors must have completed; at least 1
     * @throws IllegalArgumentException if the delay is not positive or longer than 7 days, or the
     *     minimum is below 1
     */
    public AfterFirstCompletion {
      requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero() || delay.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
        throw new IllegalArgumentException(
            "afterFirstCompletion must be positive and at most "
                + MAX_DAYS
                + " days, but was "
                + delay);
      }
      checkMinimum(minimumProcessors);
    }

    @Override
    public Optional<Instant> dueAt(CompletionState state) {
      return state.firstCompletionAt().map(first -> first.plus(delay));
    }

    @Override
    public String describe(CompletionState state) {
      return "deadline of "
          + delay
          + " after the first completion"
          + state.firstCompletionAt().map(t -> " at " + t).orElse("");
    }
  }

  /**
   * A deadline at {@code time} in {@code zone} on the key's date plus {@code daysAfter} days.
   *
   * @param time the local time of the deadline
   * @param zone the time zone of {@code time}
   * @param daysAfter 0 to {@value DeadlinePolicy#MAX_DAYS_AFTER} days after the key's date
   * @param minimumProcessors how many expected processors must have completed; at least 1
   */
  record AtLocalTime(LocalTime time, ZoneId zone, int daysAfter, int minimumProcessors)
      implements DeadlinePolicy {
    /**
     * Validates and creates the policy.
     *
     * @param time the local time of the deadline
     * @param zone the zone {@code time} is in
     * @param daysAfter 0 to {@value #MAX_DAYS_AFTER}: the deadline's day is the key's date plus
     *     this
     * @param minimumProcessors how many expected processors must have completed; at least 1
     * @throws IllegalArgumentException if {@code daysAfter} is outside 0 to 31 or the minimum is
     *     below 1
     */
    public AtLocalTime {
      requireNonNull(time, "time");
      requireNonNull(zone, "zone");
      if (daysAfter < 0 || daysAfter > MAX_DAYS_AFTER) {
        throw new IllegalArgumentException(
            "daysAfter must be 0 to " + MAX_DAYS_AFTER + ", but was " + daysAfter);
      }
      checkMinimum(minimumProcessors);
    }

    /**
     * The deadline of the key dated {@code date}, resolved with {@link #zone()}'s rules for that
     * day.
     *
     * @param date the key's date
     * @return the deadline in the policy's zone
     */
    public ZonedDateTime deadlineOf(java.time.LocalDate date) {
      return ZonedDateTime.of(requireNonNull(date, "date").plusDays(daysAfter), time, zone);
    }

    @Override
    public Optional<Instant> dueAt(CompletionState state) {
      return Optional.of(deadlineOf(state.key().date()).toInstant());
    }

    @Override
    public String describe(CompletionState state) {
      ZonedDateTime at = deadlineOf(state.key().date());
      return "deadline "
          + time
          + " "
          + zone
          + " on "
          + at.toLocalDate()
          + " ("
          + at.toInstant()
          + ")";
    }
  }
}
