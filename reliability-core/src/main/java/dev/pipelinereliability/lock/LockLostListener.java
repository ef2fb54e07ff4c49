package dev.pipelinereliability.lock;

/**
 * Told when a handle learns that it no longer holds its lock: its lease ran out and another
 * instance took the lock, or it was force-released by an operator, or a background renewal failed.
 * With background renewal a handle is also checked when its lease would end, so a holder whose
 * renewals keep failing is told then, not only at the next renewal attempt.
 *
 * <p>Called at most once per handle, on whichever thread made the discovery (a renewal thread, the
 * lease-watch thread {@code pipeline-reliability-lease-watch}, a backend's own thread such as a
 * Firestore snapshot listener, or the caller of {@link LockHandle#checkValid()}, {@link
 * LockHandle#isValid()}, {@link LockHandle#renew()} or {@link LockHandle#close()}). It must be
 * quick and must not block; an exception it throws is logged and otherwise ignored. A typical
 * listener sets a flag or interrupts the worker so that it stops before its commit.
 */
@FunctionalInterface
public interface LockLostListener {
  /** A listener that does nothing; the default in {@link LockOptions}. */
  LockLostListener NONE = (handle, cause) -> {};

  /**
   * Called once when {@code handle} is found to have lost its lock.
   *
   * @param handle the handle that lost the lock
   * @param cause describes how it was lost; unless the loss was found by {@link
   *     LockHandle#close()}, the same exception {@link LockHandle#checkValid()} throws from then on
   */
  void onLockLost(LockHandle handle, LockLostException cause);
}
