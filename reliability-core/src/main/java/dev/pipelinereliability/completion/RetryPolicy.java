package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a {@link CompletionTracker} paces the retries of a compare-and-set that lost to another
 * writer (or that the store answered ABORTED, its sign of contention): a jittered, doubling backoff
 * between {@link #initialBackoff()} and {@link #maxBackoff()}, and an overall {@link #deadline()}
 * per operation after which the operation fails with {@link CompletionStoreException}.
 *
 * <p>Rules: initial backoff positive; max backoff at least the initial one; deadline positive and
 * at most 10 minutes. The default (10 ms, 1 s, 60 s) keeps a hot key's losers from hammering the
 * store while letting a burst of deliveries drain well within a Pub/Sub acknowledgement deadline
 * extension.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initialBackoff the longest first wait; each wait is drawn between half and all of the
 *     current backoff, which doubles after every lost attempt up to {@code maxBackoff}
 * @param maxBackoff the longest single wait
 * @param deadline how long one operation may keep retrying, measured from its start
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration deadline) {

  /** 10 ms initial backoff, 1 s max backoff, 60 s deadline. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(60));

  /**
   * Validates and creates a policy.
   *
   * @param initialBackoff the longest first wait; each wait is drawn between half and all of the
   *     current backoff, which doubles after every lost attempt up to {@code maxBackoff}
   * @param maxBackoff the longest single wait
   * @param deadline how long one operation may keep retrying, measured from its start
   * @throws IllegalArgumentException if a duration breaks the rules above; the message names it
   */
  public RetryPolicy {
    requireNonNull(initialBackoff, "initialBackoff");
    requireNonNull(maxBackoff, "maxBackoff");
    requireNonNull(deadline, "deadline");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "initialBackoff must be positive, but was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be at least initialBackoff "
              + initialBackoff
              + ", but was "
              + maxBackoff);
    }
    if (deadline.isNegative()
        || deadline.isZero()
        || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "deadline must be positive and at most 10 minutes, but was " + deadline);
    }
  }
}
