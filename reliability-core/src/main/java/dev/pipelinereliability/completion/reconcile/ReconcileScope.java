package dev.pipelinereliability.completion.reconcile;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which keys a {@link Reconciler} run checks: a set of phases over a range of dates.
 *
 * <p>Rules: at least one phase; {@code to} not before {@code from}; at most {@value #MAX_DAYS}
 * days, so that a typo cannot start a scan of years of documents.
 *
 * <p>Immutable and thread-safe.
 *
 * @param phases the phases to check, in order
 * @param from the first date, inclusive
 * @param to the last date, inclusive
 */
public record ReconcileScope(Set<String> phases, LocalDate from, LocalDate to) {
  /** Most days one run may cover. */
  public static final int MAX_DAYS = 366;

  /**
   * Validates and creates a scope.
   *
   * @param phases the phases to check, in order
   * @param from the first date, inclusive
   * @param to the last date, inclusive
   * @throws IllegalArgumentException if a rule above is broken; the message names the values
   */
  public ReconcileScope {
    requireNonNull(phases, "phases");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("at least one phase must be given");
    }
    phases = Collections.unmodifiableSet(new LinkedHashSet<>(phases));
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to " + to + " is before from " + from);
    }
    if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
      throw new IllegalArgumentException(
          "a run covers at most " + MAX_DAYS + " days, but " + from + " to " + to + " is more");
    }
  }

  /**
   * Returns the last {@code days} dates up to and including today in {@code clock}'s zone, for
   * {@code phases}: a script's {@code --days N}.
   *
   * @param clock the clock that says what today is
   * @param days how many days, ending today
   * @param phases the phases
   * @return the last {@code days} dates up to and including today in {@code clock}'s zone, for
   *     {@code phases}: a script's {@code --days N}
   * @throws IllegalArgumentException if {@code days} is not 1 to {@value #MAX_DAYS}, or no phase is
   *     given
   */
  public static ReconcileScope lastDays(Clock clock, int days, String... phases) {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be 1 to " + MAX_DAYS + ", but was " + days);
    }
    LocalDate today = LocalDate.now(requireNonNull(clock, "clock"));
    return new ReconcileScope(
        new LinkedHashSet<>(List.of(phases)), today.minusDays(days - 1L), today);
  }

  /**
   * Returns every date of the scope, oldest first.
   *
   * @return every date of the scope, oldest first
   */
  public List<LocalDate> dates() {
    return from.datesUntil(to.plusDays(1)).toList();
  }
}
