package dev.pipelinereliability.lock;

import java.util.List;

/**
 * Operations on a lock store for operators and health checks: see who holds which lock, see which
 * locks were abandoned by a holder that died, and free a lock whose holder is known to be gone
 * without waiting for its lease to run out.
 *
 * <p>Implemented by every {@link DistributedLock} backend of this library (pinned by the testkit's
 * {@code LockAdminContract}). Thread-safe.
 */
public interface LockAdmin {

  /**
   * Returns every lock whose lease is live at the store's current time, ordered by key. Released
   * locks and locks whose lease ran out are not listed.
   *
   * @return every lock whose lease is live at the store's current time, ordered by key
   * @throws LockUnavailableException if the store could not be reached
   */
  List<LockInfo> listHeld();

  /**
   * Returns every lock that is still marked held although its lease ran out at the store's current
   * time, ordered by key: its holder stopped renewing and never released it. Either the process
   * died (a crash, an out-of-memory kill, an instance shut down mid-run) or it lost its lease in a
   * stall or an outage and gave up (a handle that lost its lease does not release). Such a lock
   * blocks nobody, since the next acquirer takes it over with a larger fencing token, and is then
   * no longer listed; but the crash behind it is worth a look. {@link LockInfo#expires()} is when
   * the lease ran out.
   *
   * <p>Released locks, live leases and locks taken over by a new acquisition are not listed. A
   * store keeps a lock's record only as long as its retention allows (Firestore: the TTL policy's
   * retention after the lease end, 7 days by default), so older abandoned locks may be gone.
   *
   * <p>Every backend of this library implements it. The default, for admin views written before it
   * existed, throws {@link UnsupportedOperationException}, which {@code LockHoldCheck} treats as
   * "cannot tell".
   *
   * @return every lock that is still marked held although its lease ran out at the store's current
   *     time, ordered by key: its holder stopped renewing and never released it
   * @throws LockUnavailableException if the store could not be reached
   * @throws UnsupportedOperationException if this admin view cannot list them
   */
  default List<LockInfo> listAbandoned() {
    throw new UnsupportedOperationException(getClass().getName() + " cannot list abandoned locks");
  }

  /**
   * Releases {@code key} whoever holds it, and records {@code reason} with the lock so that the
   * holder's next {@link LockHandle#checkValid()} fails with a {@link LockLostException} that names
   * it. The fencing token is kept, so the next acquisition still gets a larger one.
   *
   * <p>Use it only when the holder is known to be dead or stuck: a holder that is still working
   * commits nothing after its next {@code checkValid()}, but work it committed before stays.
   *
   * @param key the lock to free
   * @param reason why, for the holder's exception and the log; not blank
   *     <p>It also ends the minimum hold ({@link LockOptions#holdAtLeast()}) of a lock whose holder
   *     released it early, which would otherwise refuse acquirers until the hold ends.
   * @return true if a live lease (or a running minimum hold) was ended; false if the lock was
   *     already free
   * @throws IllegalArgumentException if {@code reason} is blank; nothing is written
   * @throws LockUnavailableException if the store could not be reached; the lock may still be held
   */
  boolean forceRelease(LockKey key, String reason);
}
