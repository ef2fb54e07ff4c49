package dev.pipelinereliability.dedup;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key of a row: its key field values in key-field order. Two keys are equal when every value is
 * the same under {@link KeyValues#same} (BigQuery {@code GROUP BY} semantics: NULLs group together,
 * {@code 1} equals {@code 1L}, {@code 1} does not equal {@code 1.0}).
 *
 * <p>Immutable and thread-safe (provided the values themselves are not mutated).
 */
public final class DedupKey {
  private final List<Object> values;
  private final int hash;

  private DedupKey(List<Object> values) {
    this.values = values;
    this.hash = KeyValues.hash(values);
  }

  /**
   * Creates a key from values in key-field order; NULL values are allowed.
   *
   * @param values the key values
   * @return the key
   * @throws IllegalArgumentException if {@code values} is empty
   */
  public static DedupKey of(List<?> values) {
    requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one value, got " + values);
    }
    return new DedupKey(Collections.unmodifiableList(new ArrayList<>(values)));
  }

  /**
   * Creates a key from values in key-field order; NULL values are allowed.
   *
   * @param values the key values
   * @return the key
   * @throws IllegalArgumentException if no value is given
   */
  public static DedupKey of(@Nullable Object... values) {
    List<Object> list = new ArrayList<>(values.length);
    Collections.addAll(list, values);
    return of(list);
  }

  /**
   * The key values in key-field order; unmodifiable, may contain nulls.
   *
   * @return the key values in key-field order; unmodifiable, may contain nulls
   */
  public List<Object> values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DedupKey dedupKey
        && dedupKey.hash == hash
        && KeyValues.same(values, dedupKey.values);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
