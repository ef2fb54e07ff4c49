package dev.pipelinereliability.dedup;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Comparator;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The kept rows of one dedup: an unmodifiable list over an array that nothing else references, so
 * {@link DedupResult} can hold it without the defensive copy it makes of any other list. A copy of
 * a million references is not free: each store pays a GC write barrier (about a tenth of a dedup).
 *
 * <p>Every mutator throws {@link UnsupportedOperationException}, even one that would change
 * nothing, as {@link java.util.List#copyOf} lists do. Immutable and thread-safe once published.
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

  @Override
  public boolean add(T row) {
    throw unmodifiable();
  }

  @Override
  public void add(int index, T row) {
    throw unmodifiable();
  }

  @Override
  public boolean addAll(Collection<? extends T> c) {
    throw unmodifiable();
  }

  @Override
  public boolean addAll(int index, Collection<? extends T> c) {
    throw unmodifiable();
  }

  @Override
  public T set(int index, T row) {
    throw unmodifiable();
  }

  @Override
  public T remove(int index) {
    throw unmodifiable();
  }

  @Override
  public boolean remove(Object o) {
    throw unmodifiable();
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw unmodifiable();
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw unmodifiable();
  }

  @Override
  public boolean removeIf(Predicate<? super T> filter) {
    throw unmodifiable();
  }

  @Override
  public void replaceAll(UnaryOperator<T> operator) {
    throw unmodifiable();
  }

  @Override
  public void sort(Comparator<? super T> c) {
    throw unmodifiable();
  }

  @Override
  public void clear() {
    throw unmodifiable();
  }

  @Override
  protected void removeRange(int fromIndex, int toIndex) {
    throw unmodifiable();
  }

  private static UnsupportedOperationException unmodifiable() {
    return new UnsupportedOperationException("the rows of a DedupResult cannot be changed");
  }
}
