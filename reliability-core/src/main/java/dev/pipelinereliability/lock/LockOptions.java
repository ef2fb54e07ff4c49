package dev.pipelinereliability.lock;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * How a lock is held: its lease, how long {@link DistributedLock#acquire} waits, whether the lease
 * is renewed in the background, how long the lock stays taken at least, and who is told when the
 * lock is lost.
 *
 * <p>Defaults ({@link #ofDefaults()}): a 10 minute lease, a 5 minute maximum wait, no background
 * renewal, no minimum hold, no listener.
 *
 * <p>Rules, checked when a value is set or when {@link Builder#build()} runs:
 *
 * <ul>
 *   <li>the lease is positive and at most {@value #MAX_HOURS} hours;
 *   <li>the maximum wait is zero or positive and at most {@value #MAX_HOURS} hours;
 *   <li>background renewal needs a lease of at least {@link #MIN_RENEWABLE_LEASE}, because it
 *       renews every third of the lease and a shorter period would flood the store;
 *   <li>the minimum hold ({@link Builder#holdAtLeast(Duration)}) is zero or positive and at most
 *       the lease, because a holder that stops renewing loses the lock when its lease ends anyway.
 * </ul>
 *
 * <p>Immutable and thread-safe; {@link Builder} is not thread-safe.
 */
public final class LockOptions {
  /** Shortest lease that background renewal accepts. */
  public static final Duration MIN_RENEWABLE_LEASE = Duration.ofSeconds(3);

  static final int MAX_HOURS = 24;
  private static final Duration MAX = Duration.ofHours(MAX_HOURS);
  private static final LockOptions DEFAULTS = builder().build();

  private final Duration leaseDuration;
  private final Duration maxWait;
  private final boolean backgroundRenewal;
  private final Duration holdAtLeast;
  private final LockLostListener lostListener;

  private LockOptions(Builder builder) {
    this.leaseDuration = builder.leaseDuration;
    this.maxWait = builder.maxWait;
    this.backgroundRenewal = builder.backgroundRenewal;
    this.holdAtLeast = builder.holdAtLeast;
    this.lostListener = builder.lostListener;
  }

  /**
   * Returns the defaults: 10 minute lease, 5 minute maximum wait, no renewal, no minimum hold, no
   * listener.
   *
   * @return the shared default options
   */
  public static LockOptions ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder that starts from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder that starts from these options.
   *
   * @return a new builder holding these values
   */
  public Builder toBuilder() {
    return new Builder()
        .leaseDuration(leaseDuration)
        .maxWait(maxWait)
        .backgroundRenewal(backgroundRenewal)
        .holdAtLeast(holdAtLeast)
        .onLockLost(lostListener);
  }

  /**
   * Returns these options with a different lease.
   *
   * @param leaseDuration the new lease
   * @return new options; these are unchanged
   * @throws IllegalArgumentException if the lease breaks the rules in the class documentation
   */
  public LockOptions withLeaseDuration(Duration leaseDuration) {
    return toBuilder().leaseDuration(leaseDuration).build();
  }

  /**
   * Returns these options with a different maximum wait.
   *
   * @param maxWait the new maximum wait
   * @return new options; these are unchanged
   * @throws IllegalArgumentException if the wait is negative or longer than 24 hours
   */
  public LockOptions withMaxWait(Duration maxWait) {
    return toBuilder().maxWait(maxWait).build();
  }

  /**
   * Returns these options with a different minimum hold ({@link Builder#holdAtLeast(Duration)}).
   *
   * @param holdAtLeast how long after its acquisition the lock stays taken at least
   * @return new options; these are unchanged
   * @throws IllegalArgumentException if negative or longer than the lease
   */
  public LockOptions withHoldAtLeast(Duration holdAtLeast) {
    return toBuilder().holdAtLeast(holdAtLeast).build();
  }

  /**
   * How long an acquisition holds the lock without renewal. After it, another instance may take the
   * lock and this holder's handle reports it lost.
   *
   * @return the lease, positive
   */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /**
   * How long {@link DistributedLock#acquire} waits for a held lock before it times out.
   *
   * @return the maximum wait, zero or positive
   */
  public Duration maxWait() {
    return maxWait;
  }

  /**
   * Whether the lease is renewed in the background every third of its duration.
   *
   * @return true if background renewal is on
   */
  public boolean backgroundRenewal() {
    return backgroundRenewal;
  }

  /**
   * How long after its acquisition the lock stays taken even if its handle is closed earlier; zero
   * (the default) releases at once. See {@link Builder#holdAtLeast(Duration)}.
   *
   * @return the minimum hold, zero or positive and at most {@link #leaseDuration()}
   */
  public Duration holdAtLeast() {
    return holdAtLeast;
  }

  /**
   * Who is told when a handle acquired with these options loses its lock.
   *
   * @return the listener; {@link LockLostListener#NONE} unless one was set
   */
  public LockLostListener lostListener() {
    return lostListener;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockOptions other
        && leaseDuration.equals(other.leaseDuration)
        && maxWait.equals(other.maxWait)
        && backgroundRenewal == other.backgroundRenewal
        && holdAtLeast.equals(other.holdAtLeast)
        && lostListener.equals(other.lostListener);
  }

  @Override
  public int hashCode() {
    return Objects.hash(leaseDuration, maxWait, backgroundRenewal, holdAtLeast, lostListener);
  }

  @Override
  public String toString() {
    return "LockOptions{lease="
        + leaseDuration
        + ", maxWait="
        + maxWait
        + ", backgroundRenewal="
        + backgroundRenewal
        + ", holdAtLeast="
        + holdAtLeast
        + "}";
  }

  /** Builds {@link LockOptions}; each setter validates its value at once. Not thread-safe. */
  public static final class Builder {
    private Duration leaseDuration = Duration.ofMinutes(10);
    private Duration maxWait = Duration.ofMinutes(5);
    private boolean backgroundRenewal;
    private Duration holdAtLeast = Duration.ZERO;
    private LockLostListener lostListener = LockLostListener.NONE;

    private Builder() {}

    /**
     * Sets the lease.
     *
     * @param leaseDuration how long an acquisition or renewal holds the lock
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than 24 hours
     */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = checkLeaseRange(leaseDuration);
      return this;
    }

    /**
     * Sets the maximum wait of {@link DistributedLock#acquire}; zero means try once.
     *
     * @param maxWait how long to wait for a held lock
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than 24 hours
     */
    public Builder maxWait(Duration maxWait) {
      requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative() || maxWait.compareTo(MAX) > 0) {
        throw new IllegalArgumentException(
            "maxWait must be zero or positive and at most " + MAX + ", but was " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    /**
     * Turns background renewal on or off. When on, the backend renews the lease every third of its
     * duration on a background thread; a renewal that finds the lock lost marks the handle lost and
     * calls the listener.
     *
     * <p>Background threads are unreliable where the CPU is throttled between requests (Cloud Run
     * with request-based billing): call {@link LockHandle#checkValid()} before committing whether
     * or not renewal is on.
     *
     * @param backgroundRenewal true to renew in the background
     * @return this builder
     */
    public Builder backgroundRenewal(boolean backgroundRenewal) {
      this.backgroundRenewal = backgroundRenewal;
      return this;
    }

    /**
     * Keeps the lock taken until at least {@code holdAtLeast} after its acquisition, even if the
     * handle is closed earlier: a {@link LockHandle#close()} before then leaves the lock refused to
     * every acquirer until that moment, and frees it at once after it. Zero (the default) releases
     * at once.
     *
     * <p>For scheduled jobs that run on several nodes whose clocks differ a little: a job that
     * finishes in a second would otherwise release the lock before a node whose schedule fires a
     * moment later tries, and the job would run twice. ShedLock calls this {@code lockAtLeastFor}.
     * The moment is measured as the store measures leases (server time for the Firestore lock).
     *
     * @param holdAtLeast how long after its acquisition the lock stays taken at least
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than 24 hours (and, at {@link
     *     #build()}, if longer than the lease)
     */
    public Builder holdAtLeast(Duration holdAtLeast) {
      requireNonNull(holdAtLeast, "holdAtLeast");
      if (holdAtLeast.isNegative() || holdAtLeast.compareTo(MAX) > 0) {
        throw new IllegalArgumentException(
            "holdAtLeast must be zero or positive and at most " + MAX + ", but was " + holdAtLeast);
      }
      this.holdAtLeast = holdAtLeast;
      return this;
    }

    /**
     * Sets the listener told when a handle loses its lock; {@link LockLostListener#NONE} by
     * default.
     *
     * @param lostListener the listener, called at most once per handle
     * @return this builder
     */
    public Builder onLockLost(LockLostListener lostListener) {
      this.lostListener = requireNonNull(lostListener, "lostListener");
      return this;
    }

    /**
     * Returns the options.
     *
     * @return immutable options holding this builder's values
     * @throws IllegalArgumentException if background renewal is on with a lease shorter than {@link
     *     #MIN_RENEWABLE_LEASE}, or the minimum hold is longer than the lease
     */
    public LockOptions build() {
      checkRenewable(leaseDuration, backgroundRenewal);
      if (holdAtLeast.compareTo(leaseDuration) > 0) {
        throw new IllegalArgumentException(
            "holdAtLeast must be at most the leaseDuration "
                + leaseDuration
                + ", but was "
                + holdAtLeast);
      }
      return new LockOptions(this);
    }
  }

  /**
   * Checks a lease as {@link Builder#leaseDuration(Duration)} and, with background renewal, {@link
   * Builder#build()} do, for {@link LockHandle#renew(Duration)} and its implementations.
   *
   * @param lease the lease to check
   * @param backgroundRenewal whether the lease will be renewed in the background
   * @return {@code lease}
   * @throws IllegalArgumentException naming the value if the lease breaks the rules in the class
   *     documentation
   */
  public static Duration checkLease(Duration lease, boolean backgroundRenewal) {
    checkRenewable(checkLeaseRange(lease), backgroundRenewal);
    return lease;
  }

  private static Duration checkLeaseRange(Duration leaseDuration) {
    requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative() || leaseDuration.isZero() || leaseDuration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "leaseDuration must be positive and at most " + MAX + ", but was " + leaseDuration);
    }
    return leaseDuration;
  }

  private static void checkRenewable(Duration leaseDuration, boolean backgroundRenewal) {
    if (backgroundRenewal && leaseDuration.compareTo(MIN_RENEWABLE_LEASE) < 0) {
      throw new IllegalArgumentException(
          "backgroundRenewal needs a leaseDuration of at least "
              + MIN_RENEWABLE_LEASE
              + ", but was "
              + leaseDuration);
    }
  }
}
