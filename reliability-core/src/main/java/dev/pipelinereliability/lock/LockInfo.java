package dev.pipelinereliability.lock;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One lock as an operator sees it, returned by {@link LockAdmin#listHeld()} and {@link
 * LockAdmin#listAbandoned()}: which lock, who holds (or held) it, since when, until when, and with
 * which fencing token.
 *
 * <p>Times are the store's: a backend that judges leases by server time reports server instants.
 * Immutable and thread-safe.
 *
 * @param key the lock
 * @param owner the acquisition that holds it
 * @param since when this acquisition got the lock (renewals do not move it)
 * @param expires when the lease runs out unless renewed (for an abandoned lock: when it ran out)
 * @param fencingToken the acquisition's fencing token
 */
public record LockInfo(
    LockKey key, LockOwner owner, Instant since, Instant expires, long fencingToken) {

  /**
   * Validates and creates the description.
   *
   * @param key the key
   * @param owner the owner
   * @param since the since
   * @param expires the expires
   * @param fencingToken the fencing token
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code expires} is before {@code since}; the message names
   *     both
   */
  public LockInfo {
    requireNonNull(key, "key");
    requireNonNull(owner, "owner");
    requireNonNull(since, "since");
    requireNonNull(expires, "expires");
    if (expires.isBefore(since)) {
      throw new IllegalArgumentException(
          "expires " + expires + " must not be before since " + since + " for lock " + key);
    }
  }

  /**
   * Returns the holder's random owner id, the same as {@link LockHandle#ownerId()}.
   *
   * @return the holder's random owner id, the same as {@link LockHandle#ownerId()}
   */
  public String ownerId() {
    return owner.id();
  }
}
