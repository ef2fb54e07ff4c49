package dev.pipelinereliability.testkit.lock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a recorded history of {@link Hold}s of one key for the two properties a lock promises: no
 * two holds overlap in time, and fencing tokens strictly increase in the order of the holds.
 *
 * <p>Stateless and thread-safe.
 */
public final class HistoryChecker {
  private HistoryChecker() {}

  /**
   * Returns a description of every violation in {@code holds}; empty when the history is correct.
   * The holds may be given in any order.
   *
   * @param holds the holds
   * @return a description of every violation in {@code holds}; empty when the history is correct
   */
  public static List<String> violations(List<Hold> holds) {
    List<Hold> sorted = new ArrayList<>(holds);
    sorted.sort(Comparator.comparingLong(Hold::startNanos));
    List<String> violations = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      Hold prev = sorted.get(i - 1);
      Hold next = sorted.get(i);
      if (next.startNanos() < prev.endNanos()) {
        violations.add("overlap: " + prev + " and " + next);
      }
      if (next.token() <= prev.token()) {
        violations.add("token did not increase: " + prev + " then " + next);
      }
    }
    return violations;
  }
}
