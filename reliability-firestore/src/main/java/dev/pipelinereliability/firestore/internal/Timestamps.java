package dev.pipelinereliability.firestore.internal;

import com.google.cloud.Timestamp;
import java.time.Instant;

/**
 * Converts between Firestore's {@link Timestamp} and {@link Instant}, field for field (seconds and
 * nanoseconds), so nothing is rounded in either direction. Internal: not part of the API. Stateless
 * and thread-safe.
 */
public final class Timestamps {
  private Timestamps() {}

  /**
   * Returns the instant of {@code timestamp}, to the nanosecond.
   *
   * @param timestamp a Firestore timestamp; not null
   * @return the same point in time
   */
  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /**
   * Returns {@code instant} as a Firestore timestamp, to the nanosecond (Firestore itself stores
   * microseconds).
   *
   * @param instant the point in time; not null
   * @return the same point in time
   * @throws IllegalArgumentException if {@code instant} is outside the range a {@link Timestamp}
   *     can hold (years 1 to 9999)
   */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }
}
