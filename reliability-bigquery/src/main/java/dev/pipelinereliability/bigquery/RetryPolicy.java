package dev.pipelinereliability.bigquery;

import java.time.Duration;

/**
 * Bounded, jittered exponential backoff for BigQuery's concurrent-update errors ("Could not
 * serialize access to table ... due to concurrent update", "Transaction is aborted due to
 * concurrent update"), which the Java client does not retry. Attempt {@code n} (from 1) that fails
 * waits a random duration in {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]} ("full jitter",
 * so two writers that collided do not collide again in step).
 *
 * <p>Retrying is safe because every statement this module sends is idempotent: a partition replace
 * or an upsert applied twice leaves the same table.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxAttempts total attempts including the first, 1 to 20
 * @param initialBackoff the cap of the first wait, positive
 * @param maxBackoff the cap of any wait, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /**
   * Validates.
   *
   * @param maxAttempts the max attempts
   * @param initialBackoff the initial backoff
   * @param maxBackoff the max backoff
   * @throws IllegalArgumentException naming the value if out of range
   */
  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException("maxAttempts must be 1..20, got " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive, got " + initialBackoff);
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be >= initialBackoff " + initialBackoff + ", got " + maxBackoff);
    }
  }

  /**
   * 5 attempts, waits capped at 1 s, 2 s, 4 s, 8 s: BigQuery already re-ran each statement.
   *
   * @return 5 attempts, waits capped at 1 s, 2 s, 4 s, 8 s: BigQuery already re-ran each statement
   */
  public static RetryPolicy ofDefaults() {
    return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /**
   * No retry: one attempt.
   *
   * @return no retry: one attempt
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /** The cap of the wait after failed attempt {@code attempt} (from 1). */
  Duration backoffCap(int attempt) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
