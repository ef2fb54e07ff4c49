package dev.pipelinereliability.lock.spi;

import dev.pipelinereliability.internal.Failures;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background renewal and the expiry watch of one {@link AbstractLockHandle}: renews every third
 * of the lease, and checks the handle without a store call when its lease would end. Thread-safe;
 * stops once the handle is closed or lost.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(AbstractLockHandle.class);

  /** The least delay before a watch that found the lease live looks again, so it never spins. */
  private static final long MIN_REARM_MILLIS = 100;

  private final AbstractLockHandle handle;
  private final ScheduledExecutorService renewals;
  private final ScheduledExecutorService watches;
  // Null until start() schedules them.
  private volatile @Nullable ScheduledFuture<?> renewal;
  private volatile @Nullable ScheduledFuture<?> expiryWatch;

  LeaseKeeper(
      AbstractLockHandle handle,
      ScheduledExecutorService renewals,
      ScheduledExecutorService watches) {
    this.handle = handle;
    this.renewals = renewals;
    this.watches = watches;
  }

  void start(Duration lease) {
    scheduleRenewal(lease);
    watchExpiry(0);
  }

  /** The handle renewed to a new lease length: renew on its period, watch its end. */
  void leaseChanged(Duration lease) {
    scheduleRenewal(lease);
    ScheduledFuture<?> w = expiryWatch;
    if (w != null) {
      // A shorter lease ends before the armed watch fires; a longer one re-arms it anyway.
      w.cancel(false);
      watchExpiry(0);
    }
  }

  void cancel() {
    ScheduledFuture<?> r = renewal;
    if (r != null) {
      r.cancel(false);
    }
    ScheduledFuture<?> w = expiryWatch;
    if (w != null) {
      w.cancel(false);
    }
  }

  /** Schedules background renewal every third of {@code lease}, replacing an earlier schedule. */
  private synchronized void scheduleRenewal(Duration lease) {
    ScheduledFuture<?> earlier = renewal;
    if (earlier != null) {
      earlier.cancel(false);
    }
    long periodMillis = Math.max(1, lease.toMillis() / 3);
    ScheduledFuture<?> scheduled =
        renewals.scheduleWithFixedDelay(
            handle::renewInBackground, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    renewal = scheduled;
    if (!handle.held()) {
      scheduled.cancel(false); // closed or lost meanwhile: cancel() may have missed it
    }
  }

  /** Arms the expiry watch for the current end of the lease. */
  private void watchExpiry(long minDelayMillis) {
    Duration left = handle.timeLeftLocally();
    if (left == null || !handle.held()) {
      return;
    }
    // Rounded up, plus a millisecond, so that the estimate has certainly turned when it runs.
    long leftMillis = left.isNegative() ? 0 : left.plusNanos(999_999).toMillis();
    long delayMillis = Math.max(leftMillis + 1, minDelayMillis);
    ScheduledFuture<?> watch =
        watches.schedule(this::checkExpiry, delayMillis, TimeUnit.MILLISECONDS);
    expiryWatch = watch;
    if (!handle.held()) {
      watch.cancel(false); // closed or lost meanwhile: cancel() may have missed it
    }
  }

  private void checkExpiry() {
    try {
      if (!handle.held()) {
        return;
      }
      if (handle.leaseLooksLive()) {
        watchExpiry(MIN_REARM_MILLIS); // a renewal moved the end since the watch was armed
      } else {
        handle.markLost(
            new LockLostException(
                handle.key(),
                LockLossCause.EXPIRED,
                "the lease ran out at " + handle.leaseExpiry() + " before a renewal succeeded"));
      }
    } catch (RuntimeException e) {
      // A failing backend hook must not end the watch for good.
      log.warn(
          "Expiry watch of lock {} failed; looking again shortly: {}",
          handle.key(),
          Failures.oneLine(e));
      log.debug("Expiry watch failure of lock {}", handle.key(), e);
      watchExpiry(MIN_REARM_MILLIS);
    }
  }
}
