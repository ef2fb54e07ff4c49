package dev.pipelinereliability.testkit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every {@link DistributedLock} promises. A backend's test extends this class and
 * supplies {@link #newInstance()} and {@link #elapse(Duration)}; the in-memory lock and every real
 * backend run the same scenarios, so a fake that drifts from the backend fails here.
 *
 * <p>Each test uses a key of its own, so a store need not be emptied between tests.
 *
 * <p>Time: scenarios that need a lease to run out call {@link #elapse(Duration)}. A backend on a
 * {@code FakeClock} advances it; a backend judged by a real server's clock sleeps, and should keep
 * {@link #lease()} short (a second or two) so the suite stays fast.
 */
public abstract class DistributedLockContract {

  private LockKey key;
  private LockKey otherKey;
  private final List<LockHandle> opened = new ArrayList<>();

  /**
   * Returns a client of the store under test, standing for one more instance of a processor. Every
   * client returned during one test must share one store (the in-memory fake returns the same
   * object each time; a Firestore test returns a new lock over the same database).
   *
   * @return a client of the store under test, standing for one more instance of a processor
   */
  protected abstract DistributedLock newInstance();

  /**
   * Lets {@code duration} pass as the store judges leases: advance a fake clock, or sleep when the
   * store's server clock is real.
   *
   * @param duration the duration
   */
  protected abstract void elapse(Duration duration);

  /**
   * The lease used by the scenarios; real-time backends return a short one.
   *
   * @return the lease used by the scenarios; real-time backends return a short one
   */
  protected Duration lease() {
    return Duration.ofSeconds(30);
  }

  /**
   * How long a waiter waits in the timeout scenario; well under {@link #lease()}.
   *
   * @return how long a waiter waits in the timeout scenario; well under {@link #lease()}
   */
  protected Duration shortWait() {
    return Duration.ofMillis(500);
  }

  /**
   * Acquisitions per thread in the concurrency scenario (8 threads over 2 keys).
   *
   * @return acquisitions per thread in the concurrency scenario (8 threads over 2 keys)
   */
  protected int fuzzAcquisitionsPerThread() {
    return 100;
  }

  @BeforeEach
  void newKeys(TestInfo test) {
    String name = test.getTestMethod().map(m -> m.getName()).orElse("test");
    String unique = UUID.randomUUID().toString().substring(0, 8);
    key = LockKey.of("contract", name + "-" + unique);
    otherKey = LockKey.of("contract", name + "-other-" + unique);
  }

  @AfterEach
  void closeHandles() {
    opened.forEach(LockHandle::close);
  }

  private LockOptions options() {
    return LockOptions.builder().leaseDuration(lease()).build();
  }

  private LockHandle mustAcquire(DistributedLock lock, LockKey k, LockOptions options) {
    Optional<LockHandle> handle = lock.tryAcquire(k, options);
    assertThat(handle).as("acquisition of free lock %s", k).isPresent();
    opened.add(handle.get());
    return handle.get();
  }

  private LockHandle mustAcquire(DistributedLock lock, LockKey k) {
    return mustAcquire(lock, k, options());
  }

  private void expireLease() {
    elapse(lease().plus(lease().dividedBy(5)));
  }

  @Test
  void acquiredLockIsValidAndCloseReleasesIt() {
    DistributedLock lock = newInstance();
    LockHandle handle = mustAcquire(lock, key);

    assertThat(handle.key()).isEqualTo(key);
    assertThat(handle.isValid()).isTrue();
    handle.checkValid();
    handle.close();

    assertThat(handle.isValid()).isFalse();
    mustAcquire(newInstance(), key);
  }

  @Test
  void secondAcquirerIsRefusedWhileLeaseIsLive() {
    LockHandle first = mustAcquire(newInstance(), key);

    assertThat(newInstance().tryAcquire(key, options())).isEmpty();
    assertThat(first.isValid()).isTrue();
  }

  @Test
  void independentKeysAreIndependent() {
    DistributedLock lock = newInstance();
    LockHandle a = mustAcquire(lock, key);
    LockHandle b = mustAcquire(lock, otherKey);

    assertThat(a.isValid()).isTrue();
    assertThat(b.isValid()).isTrue();
    a.close();
    assertThat(b.isValid()).isTrue();
    assertThat(newInstance().tryAcquire(otherKey, options())).isEmpty();
  }

  @Test
  void reacquireAfterReleaseGetsALargerToken() {
    DistributedLock lock = newInstance();
    LockHandle first = mustAcquire(lock, key);
    first.close();

    LockHandle second = mustAcquire(lock, key);

    assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
  }

  @Test
  void eachAcquisitionHasItsOwnOwnerId() {
    DistributedLock lock = newInstance();
    LockHandle first = mustAcquire(lock, key);
    first.close();
    LockHandle second = mustAcquire(lock, key);

    assertThat(first.ownerId()).isNotBlank();
    assertThat(second.ownerId()).isNotBlank().isNotEqualTo(first.ownerId());
  }

  @Test
  void afterLeaseExpiryAnotherOwnerAcquiresAndOldHandleReportsLost() {
    LockHandle stalled = mustAcquire(newInstance(), key);
    expireLease();

    LockHandle taker = mustAcquire(newInstance(), key);

    assertThat(stalled.isValid()).isFalse();
    assertThatThrownBy(stalled::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining(key.toString());
    assertThat(taker.isValid()).isTrue();
    taker.checkValid();
  }

  @Test
  void leaseThatRanOutIsLostEvenBeforeAnyoneTakesTheLock() {
    LockHandle stalled = mustAcquire(newInstance(), key);
    expireLease();

    assertThat(stalled.isValid()).isFalse();
    assertThatThrownBy(stalled::checkValid).isInstanceOf(LockLostException.class);
    assertThatThrownBy(stalled::renew).isInstanceOf(LockLostException.class);
    mustAcquire(newInstance(), key);
  }

  @Test
  void closingALostHandleLeavesTheNewHolderUntouched() {
    LockHandle stalled = mustAcquire(newInstance(), key);
    expireLease();
    LockHandle taker = mustAcquire(newInstance(), key);

    stalled.close();

    assertThat(taker.isValid()).isTrue();
    taker.checkValid();
    assertThat(newInstance().tryAcquire(key, options())).isEmpty();
  }

  @Test
  void fencingTokensStrictlyIncreaseAcrossOwnersAndExpiryTakeovers() {
    List<Long> tokens = new ArrayList<>();
    LockHandle a = mustAcquire(newInstance(), key);
    tokens.add(a.fencingToken());
    a.close();
    LockHandle b = mustAcquire(newInstance(), key);
    tokens.add(b.fencingToken());
    expireLease();
    LockHandle c = mustAcquire(newInstance(), key);
    tokens.add(c.fencingToken());
    b.close();
    c.close();
    LockHandle d = mustAcquire(newInstance(), key);
    tokens.add(d.fencingToken());

    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void lostHandleCannotRenewAndTheNewHolderKeepsItsLease() {
    LockHandle stalled = mustAcquire(newInstance(), key);
    expireLease();
    LockHandle taker = mustAcquire(newInstance(), key);

    assertThatThrownBy(stalled::renew).isInstanceOf(LockLostException.class);
    assertThat(taker.isValid()).isTrue();
    taker.checkValid();
  }

  @Test
  void renewalExtendsTheLease() {
    LockHandle holder = mustAcquire(newInstance(), key);
    var expiryBefore = holder.leaseExpiry();
    Duration twoThirds = lease().multipliedBy(2).dividedBy(3);
    elapse(twoThirds);

    holder.renew();
    elapse(twoThirds);

    assertThat(holder.leaseExpiry()).isAfter(expiryBefore);
    assertThat(holder.isValid()).isTrue();
    holder.checkValid();
    assertThat(newInstance().tryAcquire(key, options())).isEmpty();
  }

  @Test
  void waitingAcquirerGetsTheLockAfterRelease() throws Exception {
    LockHandle holder = mustAcquire(newInstance(), key);
    DistributedLock waiterClient = newInstance();
    LockOptions waitLong = options().withMaxWait(Duration.ofMinutes(1));

    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> waiterClient.acquire(key, waitLong));
    assertThatThrownBy(() -> waiter.get(100, TimeUnit.MILLISECONDS))
        .as("the waiter must block while the lock is held")
        .isInstanceOf(TimeoutException.class);
    holder.close();

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    opened.add(acquired);
    assertThat(acquired.isValid()).isTrue();
    assertThat(acquired.fencingToken()).isGreaterThan(holder.fencingToken());
  }

  @Test
  void waitingAcquirerGetsTheLockWhenTheHoldersLeaseRunsOut() throws Exception {
    LockHandle stalled = mustAcquire(newInstance(), key);
    DistributedLock waiterClient = newInstance();
    LockOptions waitLong = options().withMaxWait(lease().multipliedBy(10));

    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> waiterClient.acquire(key, waitLong));
    elapseUntilDone(waiter, lease().dividedBy(4), 40);

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    opened.add(acquired);
    assertThat(acquired.fencingToken()).isGreaterThan(stalled.fencingToken());
    assertThat(stalled.isValid()).isFalse();
  }

  @Test
  void waitingAcquirerTimesOutWhileTheLockIsHeld() {
    LockOptions longLease = LockOptions.builder().leaseDuration(Duration.ofMinutes(10)).build();
    LockHandle holder = mustAcquire(newInstance(), key, longLease);
    DistributedLock waiterClient = newInstance();
    LockOptions waitShort = options().withMaxWait(shortWait());

    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> waiterClient.acquire(key, waitShort));
    elapseUntilDone(waiter, shortWait().dividedBy(4), 40);

    assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(LockTimeoutException.class)
        .hasMessageContaining(key.toString());
    assertThat(holder.isValid()).isTrue();
  }

  @Test
  void acquireOfAFreeLockReturnsAtOnceEvenWithZeroWait() {
    LockHandle handle = newInstance().acquire(key, options().withMaxWait(Duration.ZERO));
    opened.add(handle);

    assertThat(handle.isValid()).isTrue();
    assertThatThrownBy(() -> newInstance().acquire(key, options().withMaxWait(Duration.ZERO)))
        .isInstanceOf(LockTimeoutException.class);
  }

  @Test
  void closeTwiceIsSafe() {
    LockHandle handle = mustAcquire(newInstance(), key);
    handle.close();
    handle.close();

    LockHandle next = mustAcquire(newInstance(), key);
    handle.close();
    assertThat(next.isValid()).isTrue();
  }

  @Test
  void closedHandleCannotBeCheckedOrRenewed() {
    LockHandle handle = mustAcquire(newInstance(), key);
    handle.close();

    assertThatThrownBy(handle::checkValid).isInstanceOf(LockLostException.class);
    assertThatThrownBy(handle::renew).isInstanceOf(LockLostException.class);
    assertThatThrownBy(() -> handle.renew(lease())).isInstanceOf(LockLostException.class);
  }

  @Test
  void renewToALongerLeaseHoldsPastTheOriginalAndLaterRenewalsKeepTheNewLength() {
    LockHandle holder = mustAcquire(newInstance(), key);
    Duration longer = lease().multipliedBy(4);

    holder.renew(longer);
    elapse(lease().multipliedBy(2));

    assertThat(holder.isValid()).as("past the original lease").isTrue();
    holder.checkValid();
    assertThat(newInstance().tryAcquire(key, options())).isEmpty();

    // A renew() that went back to the acquisition's lease would end at 3 leases; this one at 6.
    holder.renew();
    elapse(lease().multipliedBy(2));

    assertThat(holder.isValid()).as("4 leases after acquisition").isTrue();
    holder.checkValid();
    assertThat(newInstance().tryAcquire(key, options())).isEmpty();
  }

  @Test
  void renewToAShorterLeaseLetsItRunOutSooner() {
    LockOptions longLease = options().withLeaseDuration(lease().multipliedBy(20));
    LockHandle holder = mustAcquire(newInstance(), key, longLease);

    holder.renew(lease());
    expireLease();

    assertThat(holder.isValid()).isFalse();
    LockHandle taker = mustAcquire(newInstance(), key);
    assertThat(taker.fencingToken()).isGreaterThan(holder.fencingToken());
    assertThatThrownBy(holder::checkValid).isInstanceOf(LockLostException.class);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: asserts the NullPointerException
  void renewToAnInvalidLeaseIsRejectedNamingTheValueAndLeavesTheLeaseAlone() {
    LockHandle holder = mustAcquire(newInstance(), key);
    var expiryBefore = holder.leaseExpiry();

    assertThatThrownBy(() -> holder.renew(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> holder.renew(Duration.ofSeconds(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-3S");
    assertThatThrownBy(() -> holder.renew(Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT25H");
    assertThatThrownBy(() -> holder.renew(null)).isInstanceOf(NullPointerException.class);

    assertThat(holder.leaseExpiry()).isEqualTo(expiryBefore);
    assertThat(holder.isValid()).isTrue();
    holder.checkValid();
  }

  @Test
  void renewOfABackgroundRenewedLockRejectsALeaseTooShortToRenew() {
    Duration renewable =
        lease().compareTo(LockOptions.MIN_RENEWABLE_LEASE) < 0
            ? LockOptions.MIN_RENEWABLE_LEASE
            : lease();
    LockOptions renewing =
        options().toBuilder().leaseDuration(renewable).backgroundRenewal(true).build();
    LockHandle holder = mustAcquire(newInstance(), key, renewing);

    assertThatThrownBy(() -> holder.renew(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1S");
    assertThat(holder.isValid()).isTrue();
  }

  /** A minimum hold, and a lease equal to it, long enough that the scenario's calls fit in it. */
  private LockOptions holdingTwoLeases() {
    Duration hold = lease().multipliedBy(2);
    return options().toBuilder().leaseDuration(hold).holdAtLeast(hold).build();
  }

  @Test
  void closingBeforeTheMinimumHoldKeepsTheLockTakenUntilItEnds() {
    LockHandle holder = mustAcquire(newInstance(), key, holdingTwoLeases());

    holder.close();

    assertThat(holder.isValid()).isFalse();
    assertThat(newInstance().tryAcquire(key, options())).as("within the minimum hold").isEmpty();
    elapse(lease().multipliedBy(2).plus(lease().dividedBy(5)));
    LockHandle next = mustAcquire(newInstance(), key);
    assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
  }

  @Test
  void closingAfterTheMinimumHoldReleasesAtOnce() {
    LockOptions holding =
        options().toBuilder().leaseDuration(lease().multipliedBy(20)).holdAtLeast(lease()).build();
    LockHandle holder = mustAcquire(newInstance(), key, holding);
    expireLease(); // past the minimum hold, far within the lease

    holder.close();

    LockHandle next = mustAcquire(newInstance(), key);
    assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
  }

  @Test
  void waitingAcquirerGetsTheLockWhenTheMinimumHoldEnds() throws Exception {
    LockHandle holder = mustAcquire(newInstance(), key, holdingTwoLeases());
    holder.close();
    DistributedLock waiterClient = newInstance();
    LockOptions waitLong = options().withMaxWait(lease().multipliedBy(10));

    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> waiterClient.acquire(key, waitLong));
    elapseUntilDone(waiter, lease().dividedBy(4), 40);

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    opened.add(acquired);
    assertThat(acquired.fencingToken()).isGreaterThan(holder.fencingToken());
  }

  @Test
  void lostListenerIsToldExactlyOnce() {
    AtomicInteger told = new AtomicInteger();
    LockOptions listening =
        options().toBuilder().onLockLost((h, cause) -> told.incrementAndGet()).build();
    LockHandle stalled = mustAcquire(newInstance(), key, listening);
    expireLease();
    mustAcquire(newInstance(), key);

    assertThatThrownBy(stalled::checkValid).isInstanceOf(LockLostException.class);
    assertThatThrownBy(stalled::checkValid).isInstanceOf(LockLostException.class);
    assertThat(stalled.isValid()).isFalse();
    stalled.close();

    assertThat(told).hasValue(1);
  }

  // A holder yields between its read and its write so that, without the lock, another thread's
  // increment lands in between and the count comes out short.
  @SuppressWarnings("ThreadPriorityCheck") // widening the race window on purpose, not scheduling
  private static void yieldToOtherHolders() {
    Thread.yield();
  }

  @Test
  void concurrentHoldersNeverOverlapAndTokensIncrease() throws Exception {
    int threads = 8;
    int perThread = fuzzAcquisitionsPerThread();
    LockKey[] keys = {key, otherKey};
    int[] counters = new int[2];
    List<List<Hold>> histories = List.of(new ArrayList<>(), new ArrayList<>());
    LockOptions patient = options().withMaxWait(Duration.ofMinutes(5));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int k = t % 2;
        DistributedLock client = newInstance();
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    try (LockHandle h = client.acquire(keys[k], patient)) {
                      long start = System.nanoTime();
                      int read = counters[k]; // deliberately not atomic: the lock must protect it
                      yieldToOtherHolders();
                      counters[k] = read + 1;
                      long end = System.nanoTime();
                      synchronized (histories) {
                        histories.get(k).add(new Hold(h.fencingToken(), start, end));
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    int expected = threads / 2 * perThread;
    synchronized (histories) {
      for (int k = 0; k < 2; k++) {
        assertThat(counters[k]).as("increments under %s", keys[k]).isEqualTo(expected);
        assertThat(HistoryChecker.violations(histories.get(k)))
            .as("overlapping holds or non-increasing tokens under %s", keys[k])
            .isEmpty();
      }
    }
  }

  /**
   * Calls {@link #elapse(Duration)} in steps until {@code future} completes, giving the worker a
   * moment of real time between steps to notice.
   */
  private void elapseUntilDone(Future<?> future, Duration step, int maxSteps) {
    for (int i = 0; i < maxSteps && !future.isDone(); i++) {
      elapse(step);
      try {
        future.get(20, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        // keep stepping
      } catch (Exception done) {
        return;
      }
    }
  }
}
