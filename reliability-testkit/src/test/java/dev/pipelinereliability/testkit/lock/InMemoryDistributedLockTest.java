package dev.pipelinereliability.testkit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InMemoryDistributedLockTest extends DistributedLockContract {
  private static final LockKey KEY = LockKey.of("waiting", "2026-02-03");
  private static final LockOptions HOUR_LEASE =
      LockOptions.builder()
          .leaseDuration(Duration.ofHours(1))
          .backgroundRenewal(false)
          .maxWait(Duration.ofMinutes(5))
          .build();

  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock store = new InMemoryDistributedLock(clock);

  @Override
  protected DistributedLock newInstance() {
    return store;
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void oneAdvancePastMaxWaitTimesAWaiterOut() throws Exception {
    LockHandle holder = store.acquire(KEY, HOUR_LEASE);
    CompletableFuture<LockHandle> waiter = waitingAcquire();

    clock.advance(Duration.ofMinutes(5));

    assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LockTimeoutException.class);
    assertThat(holder.isValid()).isTrue();
    holder.close();
  }

  @Test
  void aWaiterStillAcquiresAtReleaseWhenTheClockStopsShortOfMaxWait() throws Exception {
    LockHandle holder = store.acquire(KEY, HOUR_LEASE);
    CompletableFuture<LockHandle> waiter = waitingAcquire();

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    holder.close();

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    assertThat(acquired.fencingToken()).isGreaterThan(holder.fencingToken());
    acquired.close();
  }

  @Test
  void oneAdvancePastTheHoldersLeaseHandsTheLockToAWaiter() throws Exception {
    LockOptions shortLease = HOUR_LEASE.withLeaseDuration(Duration.ofMinutes(1));
    LockHandle stalled = store.acquire(KEY, shortLease);
    CompletableFuture<LockHandle> waiter = waitingAcquire();

    clock.advance(Duration.ofMinutes(1));

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    assertThat(acquired.fencingToken()).isGreaterThan(stalled.fencingToken());
    assertThat(stalled.isValid()).isFalse();
    acquired.close();
  }

  @RepeatedTest(200)
  void anAdvanceRacingAWaiterThatIsStillStartingIsNeverMissed() throws Exception {
    LockOptions shortLease = HOUR_LEASE.withLeaseDuration(Duration.ofMinutes(1));
    LockHandle stalled = store.acquire(KEY, shortLease);
    // No awaitWaitingAcquirers: the advance lands before, during or after the waiter subscribes.
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> store.acquire(KEY, HOUR_LEASE));
    clock.advance(Duration.ofMinutes(1));

    LockHandle acquired = waiter.get(30, TimeUnit.SECONDS);
    assertThat(acquired.fencingToken()).isGreaterThan(stalled.fencingToken());
    acquired.close();
  }

  @Test
  void aFailingClockListenerDoesNotKeepAWaiterFromWaking() throws Exception {
    LockHandle holder = store.acquire(KEY, HOUR_LEASE);
    // Registered before the waiter subscribes, so it runs first on the move.
    FakeClock.Subscription failing =
        clock.onChange(
            () -> {
              throw new IllegalStateException("listener failed");
            });
    CompletableFuture<LockHandle> waiter = waitingAcquire();

    assertThatThrownBy(() -> clock.advance(Duration.ofMinutes(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener failed");
    failing.close();

    assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LockTimeoutException.class);
    holder.close();
  }

  @Test
  @Timeout(30)
  void onARealClockAWaiterTimesOutInRealTime() {
    InMemoryDistributedLock realTime = new InMemoryDistributedLock(Clock.systemUTC());
    LockHandle holder = realTime.acquire(KEY, HOUR_LEASE);

    long start = System.nanoTime();
    assertThatThrownBy(() -> realTime.acquire(KEY, HOUR_LEASE.withMaxWait(Duration.ofMillis(100))))
        .isInstanceOf(LockTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    holder.close();
  }

  @Test
  void awaitingWaitersGivesUpAfterItsTimeoutWhenNobodyWaits() throws Exception {
    assertThat(store.awaitWaitingAcquirers(1, Duration.ofMillis(10))).isFalse();
  }

  /** Starts an acquire of {@link #KEY} on another thread and returns once it waits. */
  private CompletableFuture<LockHandle> waitingAcquire() throws InterruptedException {
    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(() -> store.acquire(KEY, HOUR_LEASE));
    assertThat(store.awaitWaitingAcquirers(1, Duration.ofSeconds(30))).isTrue();
    return waiter;
  }

  @Test
  void awaitingWaitersRefusesACountBelowOne() {
    assertThatThrownBy(() -> store.awaitWaitingAcquirers(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
