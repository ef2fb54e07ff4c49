package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One operation's retry loop: {@code while (retry.next()) { ... }} runs the body once at once, then
 * again after each jittered backoff, until the attempt cap or the deadline; then {@link
 * #exhausted()} is the exception to throw. Not thread-safe: one per operation call.
 */
final class Retry {
  /**
   * Attempts per operation, on top of the deadline. Every lost compare-and-set means another writer
   * succeeded, and one key receives few writes, so this is only reached when the store misbehaves.
   */
  static final int MAX_ATTEMPTS = 200;

  private final RetryPolicy policy;
  private final Pacing pacing;
  private final CompletionKey key;
  private final String what;
  private final long start;
  private long backoffNanos;
  private int attempts;
  private boolean deadlinePassed;

  Retry(RetryPolicy policy, Pacing pacing, CompletionKey key, String what) {
    this.policy = policy;
    this.pacing = pacing;
    this.key = key;
    this.what = what;
    this.start = pacing.nanoTime();
    this.backoffNanos = policy.initialBackoff().toNanos();
  }

  /**
   * Returns true if another attempt may run, after waiting for it; false once the attempts or the
   * deadline are used up.
   *
   * @throws CompletionStoreException if interrupted while waiting (the interrupt flag is restored)
   */
  boolean next() {
    if (attempts == 0) {
      attempts++;
      return true;
    }
    if (attempts >= MAX_ATTEMPTS) {
      return false;
    }
    long remaining = policy.deadline().toNanos() - (pacing.nanoTime() - start);
    long half = backoffNanos / 2;
    long wait = half + ThreadLocalRandom.current().nextLong(backoffNanos - half + 1);
    if (wait >= remaining) {
      deadlinePassed = true;
      return false;
    }
    try {
      pacing.sleep(Duration.ofNanos(wait));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionStoreException(key, "interrupted while retrying " + what, e);
    }
    backoffNanos = Math.min(backoffNanos * 2, policy.maxBackoff().toNanos());
    attempts++;
    return true;
  }

  /** The failure after {@link #next()} returned false. */
  CompletionStoreException exhausted() {
    String why =
        deadlinePassed
            ? "within its deadline of " + policy.deadline()
            : "in " + MAX_ATTEMPTS + " attempts";
    return new CompletionStoreException(
        key,
        what + " did not succeed " + why + " (" + attempts + " compare-and-set attempts lost)",
        null);
  }
}
