package dev.pipelinereliability.testkit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockLostListener;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Background renewal, driven by hand: the executor records the renewal task instead of running it
 * on real time, and the test runs it after advancing the fake clock.
 */
class InMemoryBackgroundRenewalTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final LockKey KEY = LockKey.of("grading", "2024-11-20");

  private final FakeClock clock = FakeClock.create();
  private final CapturingExecutor executor = new CapturingExecutor();
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(clock, executor);

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  @Test
  void renewalIsScheduledEveryThirdOfTheLease() {
    assertThat(locks.tryAcquire(KEY, renewing(CountingListener.ignore()))).isPresent();

    assertThat(executor.periodsMillis).containsExactly(LEASE.toMillis() / 3);
  }

  @Test
  void renewalKeepsTheLockPastItsLease() {
    LockHandle handle = locks.tryAcquire(KEY, renewing(CountingListener.ignore())).get();

    for (int i = 0; i < 6; i++) {
      clock.advance(LEASE.dividedBy(3));
      executor.runRenewals();
    }

    assertThat(handle.isValid()).isTrue();
    assertThat(locks.tryAcquire(KEY, LockOptions.ofDefaults())).isEmpty();
  }

  @Test
  void renewalThatFindsTheLockTakenMarksTheHandleLostAndTellsTheListener() {
    CountingListener lost = new CountingListener();
    LockHandle handle = locks.tryAcquire(KEY, renewing(lost)).get();
    clock.advance(LEASE.plusSeconds(1)); // the renewal thread was starved past the lease
    LockHandle taker = locks.tryAcquire(KEY, LockOptions.ofDefaults()).orElseThrow();

    executor.runRenewals();
    executor.runRenewals();

    assertThat(lost.count).hasValue(1);
    assertThat(handle.isValid()).isFalse();
    assertThat(taker.isValid()).isTrue();
    assertThat(executor.futures).allMatch(ScheduledFuture::isCancelled);
  }

  @Test
  void closeStopsRenewal() {
    LockHandle handle = locks.tryAcquire(KEY, renewing(CountingListener.ignore())).get();

    handle.close();

    assertThat(executor.futures).allMatch(ScheduledFuture::isCancelled);
  }

  @Test
  void aHolderWhoseRenewalsNeverRunIsToldWhenItsLeaseEnds() {
    // The captured renewals never run, as if the renewal thread were stuck; only the expiry watch,
    // armed by the store's own lease estimate, can notice.
    CountingListener lost = new CountingListener();
    LockHandle handle =
        locks
            .tryAcquire(
                KEY,
                LockOptions.builder()
                    .leaseDuration(Duration.ofSeconds(3))
                    .backgroundRenewal(true)
                    .onLockLost(lost)
                    .build())
            .orElseThrow();
    clock.advance(Duration.ofSeconds(10));

    executor.runWatches();

    assertThat(lost.count).hasValue(1);
    assertThat(handle.isValid()).isFalse();
    handle.close();
    assertThat(locks.listAbandoned()).isEmpty();
  }

  private static LockOptions renewing(CountingListener listener) {
    return LockOptions.builder()
        .leaseDuration(LEASE)
        .backgroundRenewal(true)
        .onLockLost(listener)
        .build();
  }

  private static final class CountingListener implements LockLostListener {
    final AtomicInteger count = new AtomicInteger();

    static CountingListener ignore() {
      return new CountingListener();
    }

    @Override
    public void onLockLost(LockHandle handle, LockLostException cause) {
      count.incrementAndGet();
    }
  }

  /**
   * Records fixed-delay tasks (renewals) and one-shot tasks (expiry watches) instead of running
   * them; {@link #runRenewals()} and {@link #runWatches()} run them.
   */
  private static final class CapturingExecutor extends ScheduledThreadPoolExecutor {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> periodsMillis = new ArrayList<>();
    final List<ScheduledFuture<?>> futures = new ArrayList<>();
    final List<Runnable> watches = new ArrayList<>();
    final List<ScheduledFuture<?>> watchFutures = new ArrayList<>();

    CapturingExecutor() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      tasks.add(command);
      periodsMillis.add(unit.toMillis(delay));
      ScheduledFuture<?> never = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      futures.add(never);
      return never;
    }

    /** Keeps one-shot tasks (the lock's expiry watches) for {@link #runWatches()}. */
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      ScheduledFuture<?> never = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      watches.add(command);
      watchFutures.add(never);
      return never;
    }

    /** Runs the watches not cancelled, as if their delay had passed. */
    void runWatches() {
      List<Runnable> now = new ArrayList<>(watches);
      List<ScheduledFuture<?>> nowFutures = new ArrayList<>(watchFutures);
      watches.clear();
      watchFutures.clear();
      for (int i = 0; i < now.size(); i++) {
        if (!nowFutures.get(i).isCancelled()) {
          now.get(i).run();
        }
      }
    }

    void runRenewals() {
      for (int i = 0; i < tasks.size(); i++) {
        if (!futures.get(i).isCancelled()) {
          tasks.get(i).run();
        }
      }
    }
  }
}
