package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Names one unit of completion tracking: a phase (such as {@code "phase3"}) and the date it
 * processes (the {@code game_date}). Every processor of the phase reports completion against this
 * key, and the downstream phase is triggered at most once per key.
 *
 * <p>{@code phase}: 1 to {@value #MAX_PHASE_LENGTH} characters, a lowercase ASCII letter followed
 * by lowercase letters, digits, {@code _} or {@code -}, the same rule as a lock type, so a phase
 * name can also name its lock.
 *
 * <p>Immutable and thread-safe.
 *
 * @param phase the phase whose processors report, for example {@code "phase3"}
 * @param date the date the phase processes
 */
public record CompletionKey(String phase, LocalDate date) {
  /** Longest accepted phase name, in characters. */
  public static final int MAX_PHASE_LENGTH = 63;

  private static final Pattern PHASE = Pattern.compile("[a-z][a-z0-9_-]*");

  /**
   * Validates and creates a key; prefer {@link #of(String, LocalDate)}.
   *
   * @param phase the phase whose processors report, for example {@code "phase3"}
   * @param date the date the phase processes
   * @throws NullPointerException if {@code phase} or {@code date} is null
   * @throws IllegalArgumentException if {@code phase} breaks the rule above; the message names it
   */
  public CompletionKey {
    checkPhase(phase);
    requireNonNull(date, "date");
  }

  /**
   * Returns the key for {@code phase} and {@code date}.
   *
   * @param phase the phase name
   * @param date the date the phase ran for
   * @return the key for {@code phase} and {@code date}
   * @throws IllegalArgumentException if {@code phase} is invalid
   */
  public static CompletionKey of(String phase, LocalDate date) {
    return new CompletionKey(phase, date);
  }

  /**
   * Checks a phase name against the rule in the class documentation and returns it.
   *
   * @throws IllegalArgumentException if it breaks the rule; the message names it
   */
  static String checkPhase(String phase) {
    requireNonNull(phase, "phase");
    if (phase.isEmpty() || phase.length() > MAX_PHASE_LENGTH || !PHASE.matcher(phase).matches()) {
      throw new IllegalArgumentException(
          "phase must be 1-"
              + MAX_PHASE_LENGTH
              + " characters of [a-z0-9_-] starting with a letter, but was '"
              + phase
              + "'");
    }
    return phase;
  }

  /** Returns {@code phase/date}, for example {@code phase3/2024-11-20}, as used in logs. */
  @Override
  public String toString() {
    return phase + "/" + date;
  }
}
