package dev.pipelinereliability.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loss is reported exactly once whichever of renewal and close discovers it first. */
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
}
