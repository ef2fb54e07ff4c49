package dev.pipelinereliability.dedup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One key whose rows differ in content, found by a deduplicator that fails on conflicts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the key ({@link DedupKey} for map rows, the extractor's key for typed records; null
 *     where the extractor returned null)
 * @param rowIndexes the input positions of the rows with that key, ascending (capped at 16)
 */
public record DuplicateConflict(@Nullable Object key, List<Integer> rowIndexes) {
  /**
   * Validates and copies.
   *
   * @param key the key, or null where the extractor returned null
   * @param rowIndexes the row indexes
   * @throws IllegalArgumentException if fewer than two rows are named
   */
  public DuplicateConflict {
    requireNonNull(rowIndexes, "rowIndexes");
    if (rowIndexes.size() < 2) {
      throw new IllegalArgumentException(
          "a conflict needs at least two rows, got " + rowIndexes + " for key " + key);
    }
    rowIndexes = List.copyOf(rowIndexes);
  }
}
