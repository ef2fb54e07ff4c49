package dev.pipelinereliability.validation;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One duplicated key and how many rows carry it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the key values in key-column order; may contain nulls
 * @param count rows with this key, at least 2
 */
public record DuplicateSample(List<Object> key, long count) {
  /**
   * Validates and copies.
   *
   * @param key the key
   * @param count the count
   * @throws IllegalArgumentException if the key is empty or the count is below 2
   */
  public DuplicateSample {
    requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("sample key is empty: " + key);
    }
    if (count < 2) {
      throw new IllegalArgumentException(
          "a duplicate has count >= 2, got " + count + " for " + key);
    }
    key = Collections.unmodifiableList(new ArrayList<>(key));
  }
}
