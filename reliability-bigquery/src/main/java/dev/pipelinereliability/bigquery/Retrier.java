package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a committing statement with the pre-commit check and the concurrent-update retry. Each
 * attempt sends the whole statement (for a fenced write, the whole script) again, so every retry
 * re-reads the fence.
 */
final class Retrier {
  private static final Logger log = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  Retrier(RetryPolicy policy, Sleeper sleeper, RandomGenerator random) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
  }

  <T> T run(String what, Runnable beforeEach, Supplier<T> statement) {
    return run(what, beforeEach, e -> null, statement);
  }

  /**
   * @param refusal maps a failure to the library's refusal exception (stale fence, partial data),
   *     thrown unchanged and never retried, or returns null for any other failure
   */
  <T> T run(
      String what,
      Runnable beforeEach,
      Function<Throwable, RuntimeException> refusal,
      Supplier<T> statement) {
    for (int attempt = 1; ; attempt++) {
      beforeEach.run();
      try {
        return statement.get();
      } catch (BigQueryException | JobException e) {
        RuntimeException refused = refusal.apply(e);
        if (refused != null) {
          throw refused;
        }
        if (!isConcurrentUpdate(e)) {
          throw new BigQueryWriteException(what + " failed: " + e.getMessage(), e);
        }
        if (attempt >= policy.maxAttempts()) {
          throw new ConcurrentUpdateException(
              what + " failed with a concurrent update on all " + attempt + " attempt(s)",
              attempt,
              e);
        }
        long capMicros = policy.backoffCap(attempt).toNanos() / 1_000;
        Duration wait = Duration.ofNanos(random.nextLong(capMicros + 1) * 1_000);
        log.warn(
            "{}: concurrent update on attempt {} of {}; retrying in {} ms",
            what,
            attempt,
            policy.maxAttempts(),
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new BigQueryWriteException(what + " interrupted while waiting to retry", ie);
        }
      }
    }
  }

  /**
   * Whether BigQuery refused the statement because another one mutated the same data ("Could not
   * serialize access to table ... due to concurrent update" for DML, "Transaction is aborted due to
   * concurrent update" for transactions). Both arrive as HTTP 400 {@code invalidQuery}, the same
   * reason as a syntax error, so the message is the only discriminator.
   */
  static boolean isConcurrentUpdate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (mentionsConcurrentUpdate(t.getMessage())) {
        return true;
      }
      List<BigQueryError> errors = null;
      if (t instanceof BigQueryException) {
        BigQueryException bq = (BigQueryException) t;
        if (bq.getError() != null && mentionsConcurrentUpdate(bq.getError().getMessage())) {
          return true;
        }
        errors = bq.getErrors();
      } else if (t instanceof JobException) {
        errors = ((JobException) t).getErrors();
      }
      if (errors != null) {
        for (BigQueryError err : errors) {
          if (err != null && mentionsConcurrentUpdate(err.getMessage())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean mentionsConcurrentUpdate(String message) {
    return message != null
        && message.contains("due to concurrent update")
        && (message.contains("Could not serialize access to")
            || message.contains("Transaction is aborted"));
  }
}
