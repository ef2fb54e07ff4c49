package dev.pipelinereliability.examples.config;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.lock.LockKey;
import java.time.Duration;

/**
 * One lock type of the pipeline file and how long a lock of it may be held before the health check
 * reports it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the lock type, as in {@link LockKey#type()}
 * @param maxHold the longest expected hold; positive
 */
public record LockSpec(String type, Duration maxHold) {
  /**
   * Validates and creates the spec.
   *
   * @param type the lock type, as in {@link LockKey#type()}
   * @param maxHold the longest expected hold; positive
   * @throws IllegalArgumentException if the type breaks {@link LockKey}'s rules or the hold is not
   *     positive; the message names the value
   */
  public LockSpec {
    LockKey.of(requireNonNull(type, "type"), "x");
    requireNonNull(maxHold, "maxHold");
    if (maxHold.isNegative() || maxHold.isZero()) {
      throw new IllegalArgumentException(
          "maxHold of lock type " + type + " must be positive, but was " + maxHold);
    }
  }
}
