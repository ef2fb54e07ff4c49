package dev.pipelinereliability.lock.spi;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.internal.Failures;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.telemetry.LockMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-independent half of a {@link LockHandle}: state (held, released, lost), the lost
 * listener called exactly once, idempotent {@link #close()}, and background renewal. A backend
 * extends it and supplies the store operations {@link #leaseLooksLive()}, {@link #confirmHeld()},
 * {@link #renewInStore(Duration)} and {@link #releaseInStore()}.
 *
 * <p>Failures are logged as one WARN line each (cause class and message); stack traces go to DEBUG.
 *
 * <p>Thread-safe: state changes are atomic, and the store operations are called concurrently only
 * as far as the caller calls the public methods concurrently; {@link #releaseInStore()} runs at
 * most once.
 */
public abstract class AbstractLockHandle implements LockHandle {
  private static final Logger log = LoggerFactory.getLogger(AbstractLockHandle.class);

  private enum State {
    HELD,
    RELEASED,
    LOST
  }

  private final LockKey key;
  private final String ownerId;
  private final long fencingToken;
  private final LockOptions options;

  /** State and, once lost, the cause: one atomic value, so no reader sees one without the other. */
  private record Status(State state, @Nullable LockLostException cause) {
    Status {
      if ((state == State.LOST) != (cause != null)) {
        throw new IllegalArgumentException(
            "a cause exactly when LOST, got " + state + ", " + cause);
      }
    }

    /** The cause of a LOST status (the constructor guarantees one). */
    LockLostException lossCause() {
      return requireNonNull(cause, "cause");
    }
  }

  private static final Status HELD = new Status(State.HELD, null);
  private static final Status RELEASED = new Status(State.RELEASED, null);

  private final AtomicReference<Status> status = new AtomicReference<>(HELD);
  private final AtomicBoolean lossReported = new AtomicBoolean();
  private final AtomicBoolean lostHandleClosed = new AtomicBoolean();
  private volatile Instant leaseExpiry;
  private volatile Duration lease;
  private volatile @Nullable LeaseKeeper keeper; // set once background renewal starts
  private final LockMetrics metrics;
  private final Instant acquiredAt;

  /**
   * Creates a handle that holds its lock and reports its metrics to {@link
   * ReliabilityTelemetry#global()}, timing its hold on the system clock.
   *
   * @param key the lock
   * @param ownerId this acquisition's random owner id
   * @param fencingToken this acquisition's token
   * @param leaseExpiry when the lease runs out, as the store judges it
   * @param options the options the lock was acquired with
   */
  protected AbstractLockHandle(
      LockKey key, String ownerId, long fencingToken, Instant leaseExpiry, LockOptions options) {
    this(
        key,
        ownerId,
        fencingToken,
        leaseExpiry,
        options,
        ReliabilityTelemetry.global().lock(Clock.systemUTC()));
  }

  /**
   * Creates a handle that holds its lock and reports to {@code metrics}: its hold time when it is
   * closed or lost, a lost lease (once, with {@link LockLostException#lossCause()}), and every
   * renewal that fails without showing the lock lost.
   *
   * @param key the lock
   * @param ownerId this acquisition's random owner id
   * @param fencingToken this acquisition's token
   * @param leaseExpiry when the lease runs out, as the store judges it
   * @param options the options the lock was acquired with
   * @param metrics the lock backend's recorder; the hold starts at its {@link LockMetrics#now()}
   */
  protected AbstractLockHandle(
      LockKey key,
      String ownerId,
      long fencingToken,
      Instant leaseExpiry,
      LockOptions options,
      LockMetrics metrics) {
    this.key = requireNonNull(key, "key");
    this.ownerId = requireNonNull(ownerId, "ownerId");
    this.fencingToken = fencingToken;
    this.leaseExpiry = requireNonNull(leaseExpiry, "leaseExpiry");
    this.options = requireNonNull(options, "options");
    this.lease = options.leaseDuration();
    this.metrics = requireNonNull(metrics, "metrics");
    this.acquiredAt = metrics.now();
  }

  /**
   * Returns whether the lease is live, as cheaply as the store allows (no network call where it can
   * be avoided). Called only while the handle is held. Returning false marks the handle lost.
   *
   * @return whether the lease is live
   */
  protected abstract boolean leaseLooksLive();

  /**
   * Confirms with the store that this acquisition still holds the lock.
   *
   * @throws LockLostException if it does not
   * @throws dev.pipelinereliability.lock.LockUnavailableException if the store cannot be reached
   */
  protected abstract void confirmHeld();

  /**
   * Sets the lease in the store to {@code lease} from now, only if this acquisition still holds it.
   *
   * @param lease the new lease, already checked; the acquisition's or the one last passed to {@link
   *     #renew(Duration)}
   * @return the new lease expiry
   * @throws LockLostException if this acquisition no longer holds the lock
   * @throws dev.pipelinereliability.lock.LockUnavailableException if the store cannot be reached
   */
  protected abstract Instant renewInStore(Duration lease);

  /**
   * Marks the lock released in the store, only if this acquisition still holds it; otherwise leaves
   * the store untouched. Called at most once, by {@link #close()}, also after the handle was marked
   * lost (a loss judged locally may leave the store still showing this acquisition).
   *
   * @throws LockLostException if the store shows that this acquisition had lost the lock; {@link
   *     #close()} then logs it and tells the listener, once
   * @throws RuntimeException for any other failure; {@link #close()} logs it
   */
  protected abstract void releaseInStore();

  /**
   * Returns how long until {@link #leaseLooksLive()} turns false if nothing renews the lease, by
   * the same call-free estimate and clock, or null if the backend cannot tell. With background
   * renewal the handle is checked at that moment, so a holder whose renewals keep failing is told
   * of the loss when its lease ends rather than at the next renewal attempt. The default returns
   * null (no watch).
   *
   * @return the time left, zero or negative if it has run out; or null
   */
  protected @Nullable Duration timeLeftLocally() {
    return null;
  }

  /**
   * The options this handle was acquired with; for the current lease see {@link #leaseDuration()}.
   *
   * @return the acquisition's options
   */
  protected final LockOptions options() {
    return options;
  }

  /**
   * Starts renewing the lease every third of its duration on {@code executor}, until the handle is
   * closed or lost. A renewal that finds the lock lost marks the handle lost (which tells the
   * listener); a renewal that fails for another reason is retried at the next period. If the
   * backend supplies {@link #timeLeftLocally()}, the handle is also checked, without a call to the
   * store, when its lease would end, and marked lost then unless a renewal has moved the end.
   *
   * @param executor runs the renewals; never shut down by the handle
   */
  protected final void startBackgroundRenewal(ScheduledExecutorService executor) {
    startBackgroundRenewal(executor, LeaseWatchThread.EXECUTOR);
  }

  /**
   * As {@link #startBackgroundRenewal(ScheduledExecutorService)}, with the expiry watch scheduled
   * on {@code watches} instead of the shared watch thread: for a store whose renewals never block
   * (an in-memory one), or a test that runs scheduled tasks by hand.
   *
   * @param renewals runs the renewals
   * @param watches runs the expiry watch; its tasks never block
   */
  protected final void startBackgroundRenewal(
      ScheduledExecutorService renewals, ScheduledExecutorService watches) {
    LeaseKeeper k =
        new LeaseKeeper(
            this, requireNonNull(renewals, "renewals"), requireNonNull(watches, "watches"));
    keeper = k;
    k.start(lease);
  }

  /** One background renewal; a failure that leaves the lease live is retried next period. */
  void renewInBackground() {
    if (status().state() != State.HELD) {
      cancelRenewal();
      return;
    }
    try {
      renew();
    } catch (LockLostException lost) {
      // renew() has marked the handle lost and told the listener.
    } catch (RuntimeException e) {
      if (leaseLooksLive()) {
        log.warn(
            "Renewal of lock {} (token {}) failed; retrying at the next period: {}",
            key,
            fencingToken,
            Failures.oneLine(e));
        log.debug("Renewal failure of lock {} (token {})", key, fencingToken, e);
      } else {
        markLost(
            new LockLostException(
                key,
                LockLossCause.EXPIRED,
                "background renewal failed until the lease ran out",
                e));
      }
    }
  }

  @Override
  public final LockKey key() {
    return key;
  }

  @Override
  public final String ownerId() {
    return ownerId;
  }

  @Override
  public final long fencingToken() {
    return fencingToken;
  }

  @Override
  public final Instant leaseExpiry() {
    return leaseExpiry;
  }

  @Override
  public final boolean isValid() {
    if (status().state() != State.HELD) {
      return false;
    }
    if (leaseLooksLive()) {
      return true;
    }
    markLost(
        new LockLostException(key, LockLossCause.EXPIRED, "the lease ran out at " + leaseExpiry));
    return false;
  }

  @Override
  public final void checkValid() {
    throwIfNotHeld();
    try {
      confirmHeld();
    } catch (LockLostException e) {
      markLost(e);
      throw thrownOnLoss(e);
    }
  }

  @Override
  public final void renew() {
    throwIfNotHeld();
    renewTo(lease);
  }

  @Override
  public final void renew(Duration lease) {
    LockOptions.checkLease(lease, options.backgroundRenewal());
    throwIfNotHeld();
    renewTo(lease);
  }

  private void renewTo(Duration newLease) {
    try {
      leaseExpiry = renewInStore(newLease);
    } catch (LockLostException e) {
      markLost(e);
      throw thrownOnLoss(e);
    } catch (RuntimeException e) {
      metrics.renewalFailed(key.type());
      throw e;
    }
    if (!newLease.equals(lease)) {
      lease = newLease;
      LeaseKeeper k = keeper;
      if (k != null) {
        k.leaseChanged(newLease);
      }
    }
  }

  @Override
  public final void close() {
    Status now = status();
    if (now.state() == State.HELD && status.compareAndSet(now, RELEASED)) {
      cancelRenewal();
      metrics.holdEnded(key.type(), LockMetrics.HoldOutcome.RELEASED, acquiredAt);
      release();
    } else if (now.state() == State.LOST && lostHandleClosed.compareAndSet(false, true)) {
      // A loss judged locally (the lease estimate ran out, renewals failed) does not mean anyone
      // took the lock over; without this release it would stay blocked until its lease ends and
      // show as abandoned. releaseInStore() leaves a new holder untouched.
      log.warn(
          "Closed lock {} (token {}) after losing it ({}); releasing only if nobody took it over",
          key,
          fencingToken,
          now.lossCause().getMessage());
      release();
    }
  }

  /** Runs {@link #releaseInStore()}, once per handle (close() guarantees that). */
  private void release() {
    try {
      releaseInStore();
    } catch (LockLostException lost) {
      // The store says another acquisition owns the lock: the loss is reported here, once, even
      // if a renewal discovered it at the same moment (markLost leaves a closed handle alone);
      // for a handle already lost, it was reported then.
      reportLoss(
          lost,
          "Closed lock {} (token {}) after losing it; the current holder was left untouched: {}");
    } catch (RuntimeException e) {
      log.warn(
          "Could not release lock {} (token {}); it frees itself when the lease runs out at {}: {}",
          key,
          fencingToken,
          leaseExpiry,
          Failures.oneLine(e));
      log.debug("Release failure of lock {} (token {})", key, fencingToken, e);
    }
  }

  /**
   * Marks the handle lost and tells the listener, once. Backends call it when they learn of a loss
   * outside the public methods (for example from a snapshot listener).
   *
   * @param cause how the lock was lost
   */
  protected final void markLost(LockLostException cause) {
    requireNonNull(cause, "cause");
    Status now = status();
    while (now.state() == State.HELD) {
      if (status.compareAndSet(now, new Status(State.LOST, cause))) {
        cancelRenewal();
        metrics.holdEnded(key.type(), LockMetrics.HoldOutcome.LOST, acquiredAt);
        reportLoss(cause, "Lost lock {} (token {}): {}");
        return;
      }
      now = status();
    }
    // Already lost (reported then) or closed: close()'s release is the authority on a closed
    // handle, so a renewal that raced the close cannot report a loss that did not happen.
  }

  /** Logs the loss and tells the listener, at most once per handle. */
  private void reportLoss(LockLostException cause, String logFormat) {
    if (lossReported.compareAndSet(false, true)) {
      metrics.leaseLost(key.type(), cause.lossCause());
      log.warn(logFormat, key, fencingToken, cause.getMessage());
      tellListener(cause);
    }
  }

  private void tellListener(LockLostException cause) {
    try {
      options.lostListener().onLockLost(this, cause);
    } catch (RuntimeException e) {
      log.warn("LockLostListener for {} threw; ignored: {}", key, Failures.oneLine(e));
      log.debug("LockLostListener failure for {}", key, e);
    }
  }

  /** What checkValid and renew throw after {@code e}: the recorded cause if the handle is lost. */
  private LockLostException thrownOnLoss(LockLostException e) {
    Status now = status();
    return now.state() == State.LOST ? now.lossCause() : e;
  }

  /** The current status; never null, since the field starts HELD and only CASes to non-null. */
  private Status status() {
    return requireNonNull(status.get(), "status");
  }

  private void throwIfNotHeld() {
    switch (status().state()) {
      case RELEASED -> throw new LockLostException(key, "this handle was closed");
      case LOST -> throw status().lossCause();
      case HELD -> {}
    }
  }

  private void cancelRenewal() {
    LeaseKeeper k = keeper;
    if (k != null) {
      k.cancel();
    }
  }

  /** Whether the handle still holds its lock (neither closed nor lost). */
  boolean held() {
    return status().state() == State.HELD;
  }

  /**
   * The lease this handle renews to: the acquisition's, or the one last passed to {@link
   * #renew(Duration)}.
   *
   * @return the current lease duration
   */
  protected final Duration leaseDuration() {
    return lease;
  }

  @Override
  public String toString() {
    return String.format(
        "%s{key=%s, owner=%s, token=%d, state=%s, leaseExpiry=%s}",
        getClass().getSimpleName(), key, ownerId, fencingToken, status().state(), leaseExpiry);
  }
}
