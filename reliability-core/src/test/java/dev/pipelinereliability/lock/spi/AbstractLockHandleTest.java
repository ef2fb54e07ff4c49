package dev.pipelinereliability.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loss is reported exactly once whichever of renewal and close discovers it first, and at the
 * end of the lease when renewals keep failing.
 */
class AbstractLockHandleTest {
  private static final LockKey KEY = LockKey.of("grading", "2026-02-03");

  private final AtomicInteger told = new AtomicInteger();
  private final LockOptions options =
      LockOptions.builder().onLockLost((h, cause) -> told.incrementAndGet()).build();

  /** A handle whose store has been taken over by another acquisition. */
  private class TakenOver extends AbstractLockHandle {
    Runnable duringRelease = () -> {};

    TakenOver() {
      super(KEY, "owner-1", 1, Instant.EPOCH, options);
    }

    LockLostException takenOver() {
      return new LockLostException(KEY, "taken over by token 2");
    }

    void lostFoundByRenewal() {
      markLost(takenOver());
    }

    @Override
    protected boolean leaseLooksLive() {
      return true;
    }

    @Override
    protected void confirmHeld() {
      throw takenOver();
    }

    @Override
    protected Instant renewInStore(Duration lease) {
      throw takenOver();
    }

    @Override
    protected void releaseInStore() {
      duringRelease.run();
      throw takenOver();
    }
  }

  @Test
  void lossFoundByRenewalBeforeCloseIsReportedOnce() {
    TakenOver handle = new TakenOver();

    handle.lostFoundByRenewal();
    handle.close();
    handle.close();

    assertThat(told).hasValue(1);
    assertThatThrownBy(handle::checkValid).hasMessageContaining("taken over by token 2");
  }

  @Test
  void lossFoundByCloseIsReportedOnce() {
    TakenOver handle = new TakenOver();

    handle.close();
    handle.lostFoundByRenewal(); // a renewal that was already running when close began

    assertThat(told).hasValue(1);
    assertThat(handle.isValid()).isFalse();
  }

  @Test
  void lossFoundByARenewalRacingCloseIsStillReported() {
    TakenOver handle = new TakenOver();
    // The renewal learns of the loss after close() marked the handle released but before its
    // release reached the store, which then reports the conflict too.
    handle.duringRelease = handle::lostFoundByRenewal;

    handle.close();

    assertThat(told).hasValue(1);
  }

  @Test
  void checkValidMarksLostAndRethrowsTheFirstCause() {
    TakenOver handle = new TakenOver();

    assertThatThrownBy(handle::checkValid).isInstanceOf(LockLostException.class);
    assertThatThrownBy(handle::renew).hasMessageContaining("taken over by token 2");
    assertThat(told).hasValue(1);
  }

  /**
   * A handle whose store cannot be reached: every renewal fails, so the lease ends where it ends.
   * Its call-free estimate runs on a test clock the test moves by hand.
   */
  private static class Unreachable extends AbstractLockHandle {
    volatile Instant now = Instant.parse("2026-11-24T00:00:00Z");
    volatile Instant localEnd;
    final AtomicInteger timeLeftAsked = new AtomicInteger();

    Unreachable(LockOptions options, Duration leaseLeft) {
      super(KEY, "owner-1", 1, Instant.parse("2026-11-24T00:00:00Z").plus(leaseLeft), options);
      localEnd = now.plus(leaseLeft);
    }

    @Override
    protected Duration timeLeftLocally() {
      timeLeftAsked.incrementAndGet();
      return Duration.between(now, localEnd);
    }

    @Override
    protected boolean leaseLooksLive() {
      return now.isBefore(localEnd);
    }

    @Override
    protected void confirmHeld() {
      throw new LockUnavailableException(KEY, "store unreachable", null);
    }

    @Override
    protected Instant renewInStore(Duration lease) {
      throw new LockUnavailableException(KEY, "store unreachable", null);
    }

    @Override
    protected void releaseInStore() {}
  }

  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();
  private final ManualWatches watches = new ManualWatches();

  @AfterEach
  void stopRenewals() {
    renewals.shutdownNow();
    watches.shutdownNow();
  }

  /**
   * Keeps the expiry watches it is given instead of running them on real time; {@link #runAll()}
   * runs the ones not cancelled, as if their delay had passed.
   */
  private static final class ManualWatches extends ScheduledThreadPoolExecutor {
    private final List<Runnable> due = new ArrayList<>();
    private final List<ScheduledFuture<?>> futures = new ArrayList<>();

    ManualWatches() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      ScheduledFuture<?> never = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      due.add(command);
      futures.add(never);
      return never;
    }

    synchronized int runAll() {
      List<Runnable> now = new ArrayList<>(due);
      List<ScheduledFuture<?>> nowFutures = new ArrayList<>(futures);
      due.clear();
      futures.clear();
      int ran = 0;
      for (int i = 0; i < now.size(); i++) {
        if (!nowFutures.get(i).isCancelled()) {
          now.get(i).run();
          ran++;
        }
      }
      return ran;
    }
  }

  /** Background renewal with a lease far longer than the test: no renewal attempt runs in it. */
  private static LockOptions renewing(AtomicInteger lost, AtomicReference<String> cause) {
    return LockOptions.builder()
        .leaseDuration(Duration.ofHours(1))
        .backgroundRenewal(true)
        .onLockLost(
            (h, e) -> {
              cause.set(e.getMessage());
              lost.incrementAndGet();
            })
        .build();
  }

  @Test
  void aHolderWhoseLeaseEndsBeforeARenewalSucceedsIsToldAtTheEndNotAtTheNextRenewal() {
    AtomicInteger lost = new AtomicInteger();
    AtomicReference<String> cause = new AtomicReference<>();
    Unreachable handle = new Unreachable(renewing(lost, cause), Duration.ofMillis(20));
    handle.startBackgroundRenewal(renewals, watches);
    handle.now = handle.now.plusSeconds(60); // the lease ran out by the handle's clock

    // The watch armed for the lease end runs; the first renewal would come 20 minutes later.
    assertThat(watches.runAll()).isEqualTo(1);
    assertThat(lost).hasValue(1);
    assertThat(cause.get()).contains("before a renewal succeeded");
    assertThat(handle.isValid()).isFalse();
    assertThatThrownBy(handle::checkValid).hasMessageContaining("before a renewal succeeded");
  }

  @Test
  void theWatchLooksAgainWhenTheLeaseWasExtendedMeanwhile() {
    AtomicInteger lost = new AtomicInteger();
    AtomicReference<String> cause = new AtomicReference<>();
    Unreachable handle = new Unreachable(renewing(lost, cause), Duration.ofMillis(20));
    handle.startBackgroundRenewal(renewals, watches);
    handle.localEnd = handle.now.plus(Duration.ofHours(1)); // as a renewal would

    // The watch finds the lease live and arms itself for the new end.
    assertThat(watches.runAll()).isEqualTo(1);
    assertThat(handle.timeLeftAsked).hasValue(2);
    assertThat(lost).hasValue(0);
    assertThat(handle.isValid()).isTrue();

    handle.close();
    assertThat(watches.runAll()).as("closing cancels the re-armed watch").isZero();
  }

  /** A handle whose store still shows it: only its own clock says the lease ran out. */
  private class ExpiredLocally extends AbstractLockHandle {
    final AtomicInteger releases = new AtomicInteger();
    volatile boolean live = true;

    ExpiredLocally() {
      super(KEY, "owner-1", 1, Instant.EPOCH, options);
    }

    @Override
    protected boolean leaseLooksLive() {
      return live;
    }

    @Override
    protected void confirmHeld() {}

    @Override
    protected Instant renewInStore(Duration lease) {
      return Instant.EPOCH;
    }

    @Override
    protected void releaseInStore() {
      releases.incrementAndGet();
    }
  }

  @Test
  void aHandleLostByItsOwnClockStillReleasesAtCloseOnce() {
    ExpiredLocally handle = new ExpiredLocally();
    handle.live = false;

    assertThat(handle.isValid()).isFalse();
    handle.close();
    handle.close();

    assertThat(handle.releases).hasValue(1);
    assertThat(told).hasValue(1);
  }

  @Test
  void theWatchOutlivesAHookThatThrows() {
    AtomicInteger lost = new AtomicInteger();
    AtomicReference<String> cause = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    Unreachable handle =
        new Unreachable(renewing(lost, cause), Duration.ofMillis(20)) {
          @Override
          protected boolean leaseLooksLive() {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("backend hiccup");
            }
            return super.leaseLooksLive();
          }
        };
    handle.startBackgroundRenewal(renewals, watches);
    handle.now = handle.now.plusSeconds(60);

    watches.runAll(); // the hook throws; the watch arms itself again
    assertThat(lost).hasValue(0);
    watches.runAll();
    assertThat(lost).hasValue(1);
    assertThat(calls).hasValue(2);
  }
}
