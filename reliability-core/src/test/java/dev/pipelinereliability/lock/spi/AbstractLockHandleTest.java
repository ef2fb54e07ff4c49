package dev.pipelinereliability.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    protected Instant renewInStore() {
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
    final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-11-24T00:00:00Z"));
    volatile Instant localEnd;
    final AtomicInteger timeLeftAsked = new AtomicInteger();

    Unreachable(LockOptions options, Duration leaseLeft) {
      super(KEY, "owner-1", 1, Instant.parse("2026-11-24T00:00:00Z").plus(leaseLeft), options);
      localEnd = now.get().plus(leaseLeft);
    }

    @Override
    protected Duration timeLeftLocally() {
      timeLeftAsked.incrementAndGet();
      return Duration.between(now.get(), localEnd);
    }

    @Override
    protected boolean leaseLooksLive() {
      return now.get().isBefore(localEnd);
    }

    @Override
    protected void confirmHeld() {
      throw new LockUnavailableException(KEY, "store unreachable", null);
    }

    @Override
    protected Instant renewInStore() {
      throw new LockUnavailableException(KEY, "store unreachable", null);
    }

    @Override
    protected void releaseInStore() {}
  }

  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopRenewals() {
    renewals.shutdownNow();
  }

  /** Background renewal with a lease far longer than the test: no renewal attempt runs in it. */
  private static LockOptions renewing(CountDownLatch lost, AtomicReference<String> cause) {
    return LockOptions.builder()
        .leaseDuration(Duration.ofHours(1))
        .backgroundRenewal(true)
        .onLockLost(
            (h, e) -> {
              cause.set(e.getMessage());
              lost.countDown();
            })
        .build();
  }

  @Test
  void aHolderWhoseLeaseEndsBeforeARenewalSucceedsIsToldAtTheEndNotAtTheNextRenewal()
      throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    AtomicReference<String> cause = new AtomicReference<>();
    Unreachable handle = new Unreachable(renewing(lost, cause), Duration.ofMillis(20));
    handle.startBackgroundRenewal(renewals);
    handle.now.set(handle.now.get().plusSeconds(60)); // the lease ran out by the handle's clock

    // The first renewal attempt would come 20 minutes after the start.
    assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cause.get()).contains("before a renewal succeeded");
    assertThat(handle.isValid()).isFalse();
    assertThatThrownBy(handle::checkValid).hasMessageContaining("before a renewal succeeded");
  }

  @Test
  void theWatchLooksAgainWhenTheLeaseWasExtendedMeanwhile() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    AtomicReference<String> cause = new AtomicReference<>();
    Unreachable handle = new Unreachable(renewing(lost, cause), Duration.ofMillis(20));
    handle.startBackgroundRenewal(renewals);
    handle.localEnd = handle.now.get().plus(Duration.ofHours(1)); // as a renewal would

    // The watch fires after 20 ms, finds the lease live and arms itself for the new end.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handle.timeLeftAsked.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(handle.timeLeftAsked).hasValue(2);
    assertThat(lost.getCount()).isEqualTo(1);
    assertThat(handle.isValid()).isTrue();
    handle.close();
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
    protected Instant renewInStore() {
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
  void aLossTheStoreReportsAgainAtCloseIsNotReportedTwice() {
    TakenOver handle = new TakenOver();
    handle.lostFoundByRenewal();

    handle.close(); // the release meets the new holder's write and throws again

    assertThat(told).hasValue(1);
  }

  @Test
  void theWatchOutlivesAHookThatThrows() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
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
    handle.startBackgroundRenewal(renewals);
    handle.now.set(handle.now.get().plusSeconds(60));

    assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(calls.get()).isGreaterThanOrEqualTo(2);
  }
}
