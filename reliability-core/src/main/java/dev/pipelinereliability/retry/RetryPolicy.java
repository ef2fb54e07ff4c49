package dev.pipelinereliability.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently to retry: at most {@link #maxAttempts()} attempts (the first
 * included); after failed attempt {@code n} a wait drawn below the cap {@code min(maxBackoff,
 * initialBackoff * 2^(n-1))} as {@link #jitter()} says; and, if a {@link #deadline()} is set, no
 * wait that would end past the deadline, measured from the operation's start.
 *
 * <p>Rules, checked when built (the message names the bad value): 1 to 1000 attempts; initial
 * backoff positive; max backoff at least the initial one; a deadline positive and at most 10
 * minutes.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {

  /** How a wait is drawn below its cap. */
  public enum Jitter {
    /**
     * Between half and all of the cap, so a wait is never much shorter than planned; for losers of
     * a compare-and-set that should back off but keep their place.
     */
    HALF,
    /**
     * Between zero and the cap ("full jitter", to the microsecond), so two callers that collided
     * spread out instead of colliding again in step.
     */
    FULL
  }

  /** The most attempts a policy may allow. */
  public static final int MAX_ATTEMPTS_LIMIT = 1000;

  /** The longest deadline a policy may have. */
  public static final Duration DEADLINE_LIMIT = Duration.ofMinutes(10);

  /**
   * 200 attempts, backoff from 10 ms doubling to 1 s, half jitter, 60 s deadline: keeps a hot key's
   * losers from hammering a store while a burst drains well within a Pub/Sub acknowledgement
   * deadline extension. What {@link #builder()} starts from.
   */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          200,
          Duration.ofMillis(10),
          Duration.ofSeconds(1),
          Optional.of(Duration.ofSeconds(60)),
          Jitter.HALF);

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Optional<Duration> deadline;
  private final Jitter jitter;

  private RetryPolicy(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Optional<Duration> deadline,
      Jitter jitter) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.deadline = deadline;
    this.jitter = jitter;
  }

  /**
   * Returns a builder that starts from {@link #DEFAULT}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return DEFAULT.toBuilder();
  }

  /**
   * Returns a policy of one attempt: no retry.
   *
   * @return a policy of one attempt
   */
  public static RetryPolicy none() {
    return builder()
        .maxAttempts(1)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(1))
        .noDeadline()
        .build();
  }

  /**
   * Returns a builder that starts from this policy.
   *
   * @return a new builder holding this policy's values
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the most attempts of one operation, the first included.
   *
   * @return 1 to {@link #MAX_ATTEMPTS_LIMIT}
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the cap of the wait after the first failed attempt.
   *
   * @return a positive duration
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * Returns the cap of any wait.
   *
   * @return at least {@link #initialBackoff()}
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Returns how long one operation may keep retrying, from its start, if bounded in time.
   *
   * @return the deadline, or empty if only {@link #maxAttempts()} bounds the operation
   */
  public Optional<Duration> deadline() {
    return deadline;
  }

  /**
   * Returns how a wait is drawn below its cap.
   *
   * @return the jitter
   */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * Returns the cap of the wait after failed attempt {@code failedAttempt}: {@code min(maxBackoff,
   * initialBackoff * 2^(failedAttempt-1))}.
   *
   * @param failedAttempt the attempt that failed, from 1
   * @return the cap
   * @throws IllegalArgumentException if {@code failedAttempt} is below 1
   */
  public Duration backoffCap(int failedAttempt) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException(
          "failedAttempt must be at least 1, but was " + failedAttempt);
    }
    Duration d = initialBackoff;
    for (int i = 1; i < failedAttempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /**
   * Draws the wait after failed attempt {@code failedAttempt} below its {@link #backoffCap(int)}.
   *
   * @param failedAttempt the attempt that failed, from 1
   * @param random the source of jitter
   * @return {@link Jitter#HALF}: between half and all of the cap, to the nanosecond; {@link
   *     Jitter#FULL}: between zero and the cap, to the microsecond
   * @throws IllegalArgumentException if {@code failedAttempt} is below 1
   */
  public Duration backoff(int failedAttempt, RandomGenerator random) {
    requireNonNull(random, "random");
    long cap = backoffCap(failedAttempt).toNanos();
    if (jitter == Jitter.FULL) {
      long capMicros = cap / 1_000;
      return Duration.ofNanos(random.nextLong(capMicros + 1) * 1_000);
    }
    long half = cap / 2;
    return Duration.ofNanos(half + random.nextLong(cap - half + 1));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && maxAttempts == p.maxAttempts
        && initialBackoff.equals(p.initialBackoff)
        && maxBackoff.equals(p.maxBackoff)
        && deadline.equals(p.deadline)
        && jitter == p.jitter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, deadline, jitter);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", deadline="
        + deadline.map(Duration::toString).orElse("none")
        + ", jitter="
        + jitter
        + "]";
  }

  /**
   * Builds a {@link RetryPolicy}; setters check their own value at once, {@link #build()} the rules
   * between values. Not thread-safe.
   */
  public static final class Builder {
    private int maxAttempts;
    private Duration initialBackoff;
    private Duration maxBackoff;
    private Optional<Duration> deadline;
    private Jitter jitter;

    private Builder(RetryPolicy from) {
      this.maxAttempts = from.maxAttempts;
      this.initialBackoff = from.initialBackoff;
      this.maxBackoff = from.maxBackoff;
      this.deadline = from.deadline;
      this.jitter = from.jitter;
    }

    /**
     * Sets the most attempts, the first included.
     *
     * @param maxAttempts 1 to {@link #MAX_ATTEMPTS_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range; the message names it
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new IllegalArgumentException(
            "maxAttempts must be 1.." + MAX_ATTEMPTS_LIMIT + ", but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the cap of the first wait.
     *
     * @param initialBackoff positive
     * @return this builder
     * @throws IllegalArgumentException if not positive; the message names it
     */
    public Builder initialBackoff(Duration initialBackoff) {
      requireNonNull(initialBackoff, "initialBackoff");
      if (initialBackoff.isNegative() || initialBackoff.isZero()) {
        throw new IllegalArgumentException(
            "initialBackoff must be positive, but was " + initialBackoff);
      }
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * Sets the cap of any wait; {@link #build()} checks it is at least the initial backoff.
     *
     * @param maxBackoff positive
     * @return this builder
     * @throws IllegalArgumentException if not positive; the message names it
     */
    public Builder maxBackoff(Duration maxBackoff) {
      requireNonNull(maxBackoff, "maxBackoff");
      if (maxBackoff.isNegative() || maxBackoff.isZero()) {
        throw new IllegalArgumentException("maxBackoff must be positive, but was " + maxBackoff);
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * Bounds one operation in time, from its start.
     *
     * @param deadline positive, at most {@link #DEADLINE_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range; the message names it
     */
    public Builder deadline(Duration deadline) {
      requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(DEADLINE_LIMIT) > 0) {
        throw new IllegalArgumentException(
            "deadline must be positive and at most 10 minutes, but was " + deadline);
      }
      this.deadline = Optional.of(deadline);
      return this;
    }

    /**
     * Bounds one operation by its attempts only.
     *
     * @return this builder
     */
    public Builder noDeadline() {
      this.deadline = Optional.empty();
      return this;
    }

    /**
     * Sets how a wait is drawn below its cap.
     *
     * @param jitter the jitter
     * @return this builder
     */
    public Builder jitter(Jitter jitter) {
      this.jitter = requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Returns the policy.
     *
     * @return a new policy
     * @throws IllegalArgumentException if the max backoff is below the initial backoff; the message
     *     names both
     */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff must be at least initialBackoff "
                + initialBackoff
                + ", but was "
                + maxBackoff);
      }
      return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, deadline, jitter);
    }
  }
}
