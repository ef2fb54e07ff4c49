package dev.pipelinereliability.firestore.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The one rule for the per-call deadline both Firestore backends accept. Internal: not part of the
 * API. Stateless and thread-safe.
 */
public final class RpcTimeouts {
  /** The longest deadline one Firestore call may be given. */
  public static final Duration MAX = Duration.ofMinutes(5);

  /** The deadline of each Firestore call when the caller sets none: 10 seconds. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  private RpcTimeouts() {}

  /**
   * Returns {@code rpcTimeout} if it is a usable per-call deadline.
   *
   * @throws NullPointerException if {@code rpcTimeout} is null
   * @throws IllegalArgumentException if it is not positive or longer than {@link #MAX}; the message
   *     names the value
   */
  public static Duration check(Duration rpcTimeout) {
    requireNonNull(rpcTimeout, "rpcTimeout");
    if (rpcTimeout.isNegative() || rpcTimeout.isZero() || rpcTimeout.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "rpcTimeout must be positive and at most " + MAX + ", but was " + rpcTimeout);
    }
    return rpcTimeout;
  }
}
