package dev.pipelinereliability.retry;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs the retry loop of a {@link RetryPolicy}: each operation takes its own {@link Attempts}
 * ({@link #start()}) and loops {@code while (attempts.next()) { ... }}. The first {@code next()}
 * returns at once; each later one waits the policy's backoff on the {@link Sleeper}, or returns
 * false when the attempts are used up or the wait would end past the deadline. The deadline is
 * measured on the {@link Sleeper#elapsedClock() sleeper's clock} unless a {@link
 * Builder#clock(Clock) clock} is set (the testkit's {@code FakeClock}, which is also a {@link
 * Sleeper}, makes the whole loop run in fake time).
 *
 * <p>What counts as a failed attempt, and the exception when the loop gives up, are the caller's.
 *
 * <p>Thread-safe if its random source is (the default, {@link ThreadLocalRandom}, is); an {@link
 * Attempts} is not, and belongs to one operation.
 */
public final class Retrier {
  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final @Nullable RandomGenerator random;

  private Retrier(Builder b) {
    this.policy = b.policy;
    this.sleeper = b.sleeper;
    this.clock = b.clock != null ? b.clock : b.sleeper.elapsedClock();
    this.random = b.random;
  }

  /**
   * Returns a retrier over real time: the system UTC clock, {@link Sleeper#system()} and {@link
   * ThreadLocalRandom}.
   *
   * @param policy the policy
   * @return a new retrier
   */
  public static Retrier create(RetryPolicy policy) {
    return builder(policy).build();
  }

  /**
   * Returns a builder of a retrier, by default over real time.
   *
   * @param policy the policy
   * @return a new builder
   */
  public static Builder builder(RetryPolicy policy) {
    return new Builder(policy);
  }

  /**
   * Returns the policy.
   *
   * @return the policy
   */
  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Starts one operation's loop; its deadline, if the policy has one, runs from now.
   *
   * @return the operation's attempts
   */
  public Attempts start() {
    return new Attempts(clock.instant());
  }

  /** Told of each wait before it starts, for logging. */
  @FunctionalInterface
  public interface BeforeWait {
    /**
     * Called before the wait after a failed attempt.
     *
     * @param failedAttempt the attempt that failed, from 1
     * @param wait how long the loop will now wait
     */
    void beforeWait(int failedAttempt, Duration wait);
  }

  /** One operation's attempts. Not thread-safe. */
  public final class Attempts {
    private final Instant start;
    private int count;
    private boolean deadlinePassed;

    private Attempts(Instant start) {
      this.start = start;
    }

    /**
     * Returns true if another attempt may run, after waiting for it; false once the attempts or the
     * deadline are used up. The first call returns true at once.
     *
     * @return whether to run another attempt
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean next() throws InterruptedException {
      return next((failedAttempt, wait) -> {});
    }

    /**
     * Like {@link #next()}, telling {@code beforeWait} of each wait before it starts.
     *
     * @param beforeWait told of the wait
     * @return whether to run another attempt
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean next(BeforeWait beforeWait) throws InterruptedException {
      requireNonNull(beforeWait, "beforeWait");
      if (count == 0) {
        count++;
        return true;
      }
      if (count >= policy.maxAttempts()) {
        return false;
      }
      RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
      Duration wait = policy.backoff(count, r);
      if (policy.deadline().isPresent()) {
        Duration remaining =
            policy.deadline().get().minus(Duration.between(start, clock.instant()));
        if (wait.compareTo(remaining) >= 0) {
          deadlinePassed = true;
          return false;
        }
      }
      beforeWait.beforeWait(count, wait);
      sleeper.sleep(wait);
      count++;
      return true;
    }

    /**
     * Returns the attempts started so far.
     *
     * @return the attempts started so far
     */
    public int count() {
      return count;
    }

    /**
     * Returns whether {@link #next()} gave up because the next wait would end past the deadline.
     *
     * @return true if the deadline, not the attempt cap, ended the loop
     */
    public boolean deadlinePassed() {
      return deadlinePassed;
    }

    /**
     * Returns why the loop gave up, for an exception message: {@code "within its deadline of PT1M"}
     * or {@code "in 200 attempts"}.
     *
     * @return why the loop gave up
     */
    public String exhaustedReason() {
      return deadlinePassed
          ? "within its deadline of " + policy.deadline().orElseThrow()
          : "in " + policy.maxAttempts() + " attempts";
    }
  }

  /** Builds a {@link Retrier}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final RetryPolicy policy;
    private @Nullable Clock clock;
    private Sleeper sleeper = Sleeper.system();
    private @Nullable RandomGenerator random;

    private Builder(RetryPolicy policy) {
      this.policy = requireNonNull(policy, "policy");
    }

    /**
     * Sets the clock the deadline is measured on.
     *
     * @param clock the {@linkplain Sleeper#elapsedClock() sleeper's clock} by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the sleep between attempts.
     *
     * @param sleeper {@link Sleeper#system()} by default; a {@code FakeClock} in tests
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the source of jitter.
     *
     * @param random {@link ThreadLocalRandom} by default; must be thread-safe if the retrier is
     *     shared
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Returns the retrier.
     *
     * @return a new retrier
     */
    public Retrier build() {
      return new Retrier(this);
    }
  }
}
