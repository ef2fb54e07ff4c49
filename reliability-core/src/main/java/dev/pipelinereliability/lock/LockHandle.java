package dev.pipelinereliability.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * Proof of holding a lock, returned by {@link DistributedLock}. Close it to release the lock; use
 * it in a try-with-resources so every path releases.
 *
 * <p>Thread-safe: a worker may call {@link #checkValid()} while a renewal thread renews and another
 * thread closes.
 */
public interface LockHandle extends AutoCloseable {

  /**
   * The lock this handle holds.
   *
   * @return the lock this handle holds
   */
  LockKey key();

  /**
   * A random id for this acquisition, unique even for two acquisitions by the same process. Stored
   * with the lock so operators can see who holds it.
   *
   * @return a random id for this acquisition, unique even for two acquisitions by the same process
   */
  String ownerId();

  /**
   * A number larger than the token of every earlier acquisition of the same key. Pass it with
   * writes so that a store can reject writes from a holder that has been superseded.
   *
   * @return a number larger than the token of every earlier acquisition of the same key
   */
  long fencingToken();

  /**
   * When the lease runs out unless renewed, as last known to this handle. Backends that judge
   * leases by server time report the server's instant.
   *
   * @return when the lease runs out unless renewed, as last known to this handle
   */
  Instant leaseExpiry();

  /**
   * Returns whether this handle still holds its lock, without waiting on the network where the
   * backend can avoid it. False after {@link #close()}, after the lease ran out, or after the loss
   * was discovered. A false answer is final; a true answer may be outdated a moment later, so call
   * {@link #checkValid()} right before committing.
   *
   * <p>When this call discovers a loss, the {@link LockLostListener} is told.
   *
   * @return whether this handle still holds its lock, without waiting on the network where the
   *     backend can avoid it
   */
  boolean isValid();

  /**
   * Confirms with the store that this handle still holds the lock. Call it right before the write
   * that commits the guarded work.
   *
   * @throws LockLostException if the lock is no longer held by this handle (lease ran out, taken
   *     over, force-released, or this handle was closed)
   * @throws LockUnavailableException if the store could not be reached; treat as lost
   */
  void checkValid();

  /**
   * Extends the lease to a full lease from now: the {@link LockOptions#leaseDuration()} the lock
   * was acquired with, or the one last passed to {@link #renew(Duration)}.
   *
   * @throws LockLostException if the lock is no longer held by this handle; the lease of whoever
   *     holds it now is untouched
   * @throws LockUnavailableException if the store could not be reached; the lease may run out
   */
  void renew();

  /**
   * Sets the lease to {@code lease} from now, longer or shorter than before, for a holder that
   * learns mid-run how long its work takes. Later {@link #renew()} calls and background renewal
   * (every third of the new lease) use the new length. The lease is checked as {@link
   * LockOptions.Builder#leaseDuration(Duration)} checks it, before the store is called.
   *
   * @param lease the new lease, measured from now as the store measures time
   * @throws IllegalArgumentException naming the value if the lease is not positive, longer than 24
   *     hours, or shorter than {@link LockOptions#MIN_RENEWABLE_LEASE} with background renewal on;
   *     the lease is then untouched
   * @throws LockLostException if the lock is no longer held by this handle; the lease of whoever
   *     holds it now is untouched
   * @throws LockUnavailableException if the store could not be reached; the lease may run out
   */
  void renew(Duration lease);

  /**
   * Releases the lock if this handle still holds it, so that the next acquirer gets it at once, or,
   * with {@link LockOptions#holdAtLeast()}, once that long after the acquisition has passed. Safe
   * to call more than once and from any thread. Never throws: if the handle had lost the lock the
   * current holder is left untouched and the event is logged; if the store cannot be reached the
   * failure is logged (one line with its cause) and the lease runs out on its own.
   */
  @Override
  void close();
}
