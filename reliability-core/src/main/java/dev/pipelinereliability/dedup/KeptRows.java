package dev.pipelinereliability.dedup;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The kept rows of one dedup: an unmodifiable list over an array that nothing else references, so
 * {@link DedupResult} can hold it without the defensive copy it makes of any other list. A copy of
 * a million references is not free: each store pays a GC write barrier.
 *
 * <p>Immutable and thread-safe once published.
 */
final class KeptRows<T> extends AbstractList<T> implements RandomAccess {
  private final Object[] rows;

  /** Takes ownership of {@code rows}; the caller must not keep or change the array. */
  KeptRows(Object[] rows) {
    this.rows = rows;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    return (T) rows[index];
  }

  @Override
  public int size() {
    return rows.length;
  }
}
