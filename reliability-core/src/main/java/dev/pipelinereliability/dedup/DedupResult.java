package dev.pipelinereliability.dedup;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link Deduplicator} kept and removed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rows the kept rows, one per key, in the order they had in the input
 * @param inputCount how many rows went in
 * @param removedCount how many rows were removed ({@code inputCount - rows.size()})
 * @param removedKeySample up to the configured sample size of distinct keys that had rows removed,
 *     in the order their first removal happened ({@link DedupKey} for map rows, the extractor's key
 *     for typed records)
 * @param <T> the row type
 */
public record DedupResult<T>(
    List<T> rows, int inputCount, int removedCount, List<Object> removedKeySample) {

  /**
   * Validates the counts and makes both lists unmodifiable: copies them, except the deduplicator's
   * own list of kept rows, which is unmodifiable already and referenced by nothing else.
   *
   * @param rows the rows
   * @param inputCount the input count
   * @param removedCount the removed count
   * @param removedKeySample the removed key sample
   * @throws IllegalArgumentException if the counts do not add up
   * @throws NullPointerException if a list is null
   */
  public DedupResult {
    requireNonNull(rows, "rows");
    requireNonNull(removedKeySample, "removedKeySample");
    if (removedCount < 0 || inputCount != rows.size() + removedCount) {
      throw new IllegalArgumentException(
          "inputCount "
              + inputCount
              + " is not kept "
              + rows.size()
              + " plus removed "
              + removedCount);
    }
    // The deduplicator's own list is already private and unmodifiable; anything else is copied.
    rows = rows instanceof KeptRows ? rows : List.copyOf(rows);
    // Not List.copyOf: a typed record's key may be null (all null keys are one group).
    removedKeySample = Collections.unmodifiableList(new ArrayList<>(removedKeySample));
  }

  /**
   * True when nothing was removed.
   *
   * @return true when nothing was removed
   */
  public boolean hadNoDuplicates() {
    return removedCount == 0;
  }
}
