package dev.pipelinereliability.lock;

import java.util.Optional;

/**
 * A lock shared by every instance of a processor, keyed by {@link LockKey}, held under a lease.
 *
 * <p>Guarantees, for every implementation (pinned by the testkit's {@code
 * DistributedLockContract}):
 *
 * <ul>
 *   <li>at most one live handle per key at any time: a second acquirer is refused or waits while
 *       the lease is live;
 *   <li>each acquisition of a key gets a {@linkplain LockHandle#fencingToken() fencing token}
 *       larger than every earlier one for that key, including after a lease ran out;
 *   <li>a handle whose lease ran out and whose lock was taken over reports it at {@link
 *       LockHandle#isValid()} and {@link LockHandle#checkValid()}, and its {@link
 *       LockHandle#close()} leaves the new holder untouched;
 *   <li>a failure to reach the store is a {@link LockUnavailableException}, never a silent
 *       acquisition.
 * </ul>
 *
 * <p>Typical use in a processor:
 *
 * <pre>{@code
 * Optional<LockHandle> acquired = locks.tryAcquire(LockKey.of("phase3", gameDate), options);
 * if (acquired.isEmpty()) {
 *   return RunResult.skipped("another instance is processing " + gameDate);
 * }
 * try (LockHandle lock = acquired.get()) {
 *   List<Row> rows = compute(gameDate);
 *   lock.checkValid();                 // fenced right before the commit
 *   write(rows, lock.fencingToken());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: one instance serves every thread of a process.
 */
public interface DistributedLock {

  /**
   * Acquires the lock if no one holds a live lease on it, without waiting.
   *
   * @param key which lock
   * @param options lease, renewal and listener; {@link LockOptions#maxWait()} is ignored
   * @return the handle, or empty if another holder's lease is live
   * @throws LockUnavailableException if the store could not be reached; the lock was not acquired
   */
  Optional<LockHandle> tryAcquire(LockKey key, LockOptions options);

  /**
   * Acquires the lock, waiting up to {@link LockOptions#maxWait()} while others hold it. A waiter
   * wakes when the holder releases or its lease runs out.
   *
   * @param key which lock
   * @param options lease, maximum wait, renewal and listener
   * @return the handle
   * @throws LockTimeoutException if the lock stayed held for the whole wait
   * @throws LockUnavailableException if the store could not be reached; the lock was not acquired
   * @throws dev.pipelinereliability.ReliabilityException wrapping an {@link InterruptedException}
   *     if the thread was interrupted while waiting; the interrupt flag is set again
   */
  LockHandle acquire(LockKey key, LockOptions options);

  /**
   * Same as {@link #tryAcquire(LockKey, LockOptions)} with {@link LockOptions#ofDefaults()}.
   *
   * @param key the key
   * @return the handle, or empty if another holder's lease is live
   * @throws LockUnavailableException if the store could not be reached
   */
  default Optional<LockHandle> tryAcquire(LockKey key) {
    return tryAcquire(key, LockOptions.ofDefaults());
  }

  /**
   * Same as {@link #acquire(LockKey, LockOptions)} with {@link LockOptions#ofDefaults()}.
   *
   * @param key the key
   * @return the handle
   * @throws LockTimeoutException if the lock stayed held for the 5 minute default wait
   * @throws LockUnavailableException if the store could not be reached
   */
  default LockHandle acquire(LockKey key) {
    return acquire(key, LockOptions.ofDefaults());
  }
}
