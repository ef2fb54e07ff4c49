package dev.pipelinereliability.lock;

import java.time.Instant;

/**
 * Proof of holding a lock, returned by {@link DistributedLock}. Close it to release the lock; use
 * it in a try-with-resources so every path releases.
 *
 * <p>Thread-safe: a worker may call {@link #checkValid()} while a renewal thread renews and another
 * thread closes.
 */
public interface LockHandle extends AutoCloseable {

  /** The lock this handle holds. */
  LockKey key();

  /**
   * A random id for this acquisition, unique even for two acquisitions by the same process. Stored
   * with the lock so operators can see who holds it.
   */
  String ownerId();

  /**
   * A number larger than the token of every earlier acquisition of the same key. Pass it with
   * writes so that a store can reject writes from a holder that has been superseded.
   */
  long fencingToken();

  /**
   * When the lease runs out unless renewed, as last known to this handle. Backends that judge
   * leases by server time report the server's instant.
   */
  Instant leaseExpiry();

  /**
   * Returns whether this handle still holds its lock, without waiting on the network where the
   * backend can avoid it. False after {@link #close()}, after the lease ran out, or after the loss
   * was discovered. A false answer is final; a true answer may be outdated a moment later, so call
   * {@link #checkValid()} right before committing.
   *
   * <p>When this call discovers a loss, the {@link LockLostListener} is told.
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
   * Extends the lease to a full {@link LockOptions#leaseDuration()} from now.
   *
   * @throws LockLostException if the lock is no longer held by this handle; the lease of whoever
   *     holds it now is untouched
   * @throws LockUnavailableException if the store could not be reached; the lease may run out
   */
  void renew();

  /**
   * Releases the lock if this handle still holds it, so that the next acquirer gets it at once.
   * Safe to call more than once and from any thread. Never throws: if the handle had lost the lock
   * the current holder is left untouched and the event is logged; if the store cannot be reached
   * the failure is logged and the lease runs out on its own.
   */
  @Override
  void close();
}
