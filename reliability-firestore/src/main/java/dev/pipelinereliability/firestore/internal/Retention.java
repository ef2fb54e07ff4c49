package dev.pipelinereliability.firestore.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The one rule for how long a document's {@code expireAt} (the field a Firestore TTL policy deletes
 * by) lies after its last use. Internal: not part of the API. Stateless and thread-safe.
 */
public final class Retention {
  private Retention() {}

  /**
   * Returns {@code retention} if it is positive and at least {@code minimum}.
   *
   * @param retention the retention to check
   * @param minimum the shortest one allowed; {@link Duration#ZERO} for any positive retention
   * @return {@code retention}
   * @throws NullPointerException if {@code retention} is null
   * @throws IllegalArgumentException if it is not positive or shorter than {@code minimum}; the
   *     message names the value
   */
  public static Duration check(Duration retention, Duration minimum) {
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero() || retention.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "retention must be "
              + (minimum.isZero() ? "positive" : "at least " + minimum)
              + ", but was "
              + retention);
    }
    return retention;
  }
}
