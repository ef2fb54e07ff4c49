package dev.pipelinereliability.lock;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * How a lock is held: its lease, how long {@link DistributedLock#acquire} waits, whether the lease
 * is renewed in the background, and who is told when the lock is lost.
 *
 * <p>Defaults ({@link #ofDefaults()}) follow the seed pipelines: a 10 minute lease, a 5 minute
 * maximum wait, no background renewal, no listener.
 *
 * <p>Rules, checked when a value is set or when {@link Builder#build()} runs:
 *
 * <ul>
 *   <li>the lease is positive and at most {@value #MAX_HOURS} hours;
 *   <li>the maximum wait is zero or positive and at most {@value #MAX_HOURS} hours;
 *   <li>background renewal needs a lease of at least {@link #MIN_RENEWABLE_LEASE}, because it
 *       renews every third of the lease and a shorter period would flood the store.
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
  private final LockLostListener lostListener;

  private LockOptions(Builder builder) {
    this.leaseDuration = builder.leaseDuration;
    this.maxWait = builder.maxWait;
    this.backgroundRenewal = builder.backgroundRenewal;
    this.lostListener = builder.lostListener;
  }

  /** Returns the defaults: 10 minute lease, 5 minute maximum wait, no renewal, no listener. */
  public static LockOptions ofDefaults() {
    return DEFAULTS;
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder()
        .leaseDuration(leaseDuration)
        .maxWait(maxWait)
        .backgroundRenewal(backgroundRenewal)
        .onLockLost(lostListener);
  }

  /**
   * Returns these options with a different lease.
   *
   * @throws IllegalArgumentException if the lease breaks the rules in the class documentation
   */
  public LockOptions withLeaseDuration(Duration leaseDuration) {
    return toBuilder().leaseDuration(leaseDuration).build();
  }

  /**
   * Returns these options with a different maximum wait.
   *
   * @throws IllegalArgumentException if the wait is negative or longer than 24 hours
   */
  public LockOptions withMaxWait(Duration maxWait) {
    return toBuilder().maxWait(maxWait).build();
  }

  /**
   * How long an acquisition holds the lock without renewal. After it, another instance may take the
   * lock and this holder's handle reports it lost.
   */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /** How long {@link DistributedLock#acquire} waits for a held lock before it times out. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Whether the lease is renewed in the background every third of its duration. */
  public boolean backgroundRenewal() {
    return backgroundRenewal;
  }

  /** Who is told when a handle acquired with these options loses its lock. */
  public LockLostListener lostListener() {
    return lostListener;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockOptions other
        && leaseDuration.equals(other.leaseDuration)
        && maxWait.equals(other.maxWait)
        && backgroundRenewal == other.backgroundRenewal
        && lostListener.equals(other.lostListener);
  }

  @Override
  public int hashCode() {
    return Objects.hash(leaseDuration, maxWait, backgroundRenewal, lostListener);
  }

  @Override
  public String toString() {
    return "LockOptions{lease="
        + leaseDuration
        + ", maxWait="
        + maxWait
        + ", backgroundRenewal="
        + backgroundRenewal
        + "}";
  }

  /** Builds {@link LockOptions}; each setter validates its value at once. Not thread-safe. */
  public static final class Builder {
    private Duration leaseDuration = Duration.ofMinutes(10);
    private Duration maxWait = Duration.ofMinutes(5);
    private boolean backgroundRenewal;
    private LockLostListener lostListener = LockLostListener.NONE;

    private Builder() {}

    /**
     * Sets the lease.
     *
     * @throws IllegalArgumentException if not positive or longer than 24 hours
     */
    public Builder leaseDuration(Duration leaseDuration) {
      requireNonNull(leaseDuration, "leaseDuration");
      if (leaseDuration.isNegative()
          || leaseDuration.isZero()
          || leaseDuration.compareTo(MAX) > 0) {
        throw new IllegalArgumentException(
            "leaseDuration must be positive and at most " + MAX + ", but was " + leaseDuration);
      }
      this.leaseDuration = leaseDuration;
      return this;
    }

    /**
     * Sets the maximum wait of {@link DistributedLock#acquire}; zero means try once.
     *
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
     */
    public Builder backgroundRenewal(boolean backgroundRenewal) {
      this.backgroundRenewal = backgroundRenewal;
      return this;
    }

    /**
     * Sets the listener told when a handle loses its lock; {@link LockLostListener#NONE} by
     * default.
     */
    public Builder onLockLost(LockLostListener lostListener) {
      this.lostListener = requireNonNull(lostListener, "lostListener");
      return this;
    }

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException if background renewal is on with a lease shorter than {@link
     *     #MIN_RENEWABLE_LEASE}
     */
    public LockOptions build() {
      if (backgroundRenewal && leaseDuration.compareTo(MIN_RENEWABLE_LEASE) < 0) {
        throw new IllegalArgumentException(
            "backgroundRenewal needs a leaseDuration of at least "
                + MIN_RENEWABLE_LEASE
                + ", but was "
                + leaseDuration);
      }
      return new LockOptions(this);
    }
  }
}
