package dev.pipelinereliability.testkit.completion;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.LandedRows;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CompletionEvidence} a test fills by hand: {@link #landed(String, LocalDate, long)} says
 * rows landed in a table on a date.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCompletionEvidence implements CompletionEvidence {
  private final Map<String, Map<LocalDate, Long>> rows = new ConcurrentHashMap<>();

  /** Creates evidence of no rows anywhere. */
  public InMemoryCompletionEvidence() {}

  /**
   * Records that {@code count} rows landed in {@code table} on {@code date}, replacing any earlier
   * count.
   *
   * @param table the table, as the reconciler names it
   * @param date the date the rows are for
   * @param count how many rows landed
   * @return this evidence
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public InMemoryCompletionEvidence landed(String table, LocalDate date, long count) {
    requireNonNull(table, "table");
    requireNonNull(date, "date");
    if (count < 0) {
      throw new IllegalArgumentException("count must be zero or positive, but was " + count);
    }
    rows.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).put(date, count);
    return this;
  }

  @Override
  public LandedRows landedRows(Set<String> tables, LocalDate from, LocalDate to) {
    requireNonNull(tables, "tables");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to " + to + " is before from " + from);
    }
    Map<String, Map<LocalDate, Long>> out = new HashMap<>();
    for (String table : tables) {
      Map<LocalDate, Long> byDate = new HashMap<>();
      rows.getOrDefault(table, Map.of())
          .forEach(
              (d, n) -> {
                if (!d.isBefore(from) && !d.isAfter(to)) {
                  byDate.put(d, n);
                }
              });
      out.put(table, byDate);
    }
    return new LandedRows(out);
  }
}
