/**
 * Distributed locks with leases and fencing tokens, for protecting one processor run per key.
 *
 * <p>A {@link dev.pipelinereliability.lock.DistributedLock} hands out {@link
 * dev.pipelinereliability.lock.LockHandle}s for a {@link dev.pipelinereliability.lock.LockKey} (a
 * lock type such as {@code phase3} plus a key such as a game date). A handle holds a lease: if its
 * holder stalls past the lease without renewing, another instance may take the lock, and the
 * stalled handle learns that it lost it at its next {@link
 * dev.pipelinereliability.lock.LockHandle#checkValid()}. Every acquisition gets a fencing token
 * that is larger than every earlier token for the same key, so downstream writes can reject work
 * from a holder that has been superseded.
 *
 * <p>Two ways to acquire, matching the two behaviours processors need:
 *
 * <ul>
 *   <li>{@link dev.pipelinereliability.lock.DistributedLock#tryAcquire} returns empty at once when
 *       another instance holds the lock (Phase 3 and Phase 4: that instance does the work, so this
 *       run reports success and does not retry);
 *   <li>{@link dev.pipelinereliability.lock.DistributedLock#acquire} waits up to {@link
 *       dev.pipelinereliability.lock.LockOptions#maxWait()} and then throws {@link
 *       dev.pipelinereliability.lock.LockTimeoutException} (grading: the work must run, once).
 * </ul>
 *
 * <p>A failure to reach the lock store is thrown as {@link
 * dev.pipelinereliability.lock.LockUnavailableException}; it never means "proceed without the
 * lock".
 *
 * <p>For operators, every backend also implements {@link dev.pipelinereliability.lock.LockAdmin}:
 * list the held locks as {@link dev.pipelinereliability.lock.LockInfo} (key, {@link
 * dev.pipelinereliability.lock.LockOwner}, since, expiry, token), list the locks a dead holder left
 * marked held, and force-release one with a reason that its holder sees at its next {@code
 * checkValid()}.
 */
@NullMarked
package dev.pipelinereliability.lock;

import org.jspecify.annotations.NullMarked;
