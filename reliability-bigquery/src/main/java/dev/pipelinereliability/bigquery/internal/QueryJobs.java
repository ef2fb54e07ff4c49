package dev.pipelinereliability.bigquery.internal;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way this module runs a query job: send it, wait for it, and map a failure to the caller's
 * exception; plus the reading of BigQuery's error texts that the mapping needs.
 */
public final class QueryJobs {
  private QueryJobs() {}

  /** Builds the caller's exception for a failed or interrupted query job. */
  @FunctionalInterface
  public interface Failure {
    /**
     * The exception for one failure.
     *
     * @param message {@code <what> failed: <BigQuery's message>} or {@code <what> interrupted}
     * @param cause the client's exception, or the {@link InterruptedException}
     * @return the exception to throw
     */
    RuntimeException of(String message, Throwable cause);
  }

  /**
   * Checks a {@code maximumBytesBilled} limit, which every read path's builder accepts.
   *
   * @throws IllegalArgumentException naming the value if it is not positive
   */
  public static long requirePositiveBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maximumBytesBilled must be positive, but was " + bytes);
    }
    return bytes;
  }

  /**
   * Runs {@code config} as a query job and waits for its result.
   *
   * @param what the job as messages name it, for example {@code duplicate check of ds.t}
   * @throws RuntimeException from {@code failure} when the client or the job fails, or the wait is
   *     interrupted (the interrupt flag is restored)
   */
  public static TableResult run(
      BigQuery bigquery, QueryJobConfiguration config, String what, Failure failure) {
    try {
      return bigquery.query(config);
    } catch (BigQueryException | JobException e) {
      throw failure.of(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.of(what + " interrupted", e);
    }
  }

  /**
   * Whether BigQuery refused the statement because another one mutated the same data ("Could not
   * serialize access to table ... due to concurrent update" for DML, "Transaction is aborted due to
   * concurrent update" for transactions). Both arrive as HTTP 400 {@code invalidQuery}, the same
   * reason as a syntax error, so the message is the only discriminator.
   */
  public static boolean isConcurrentUpdate(Throwable e) {
    for (String message : messages(e)) {
      if (message.contains("due to concurrent update")
          && (message.contains("Could not serialize access to")
              || message.contains("Transaction is aborted"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every message {@code e} carries: its own and its causes', and each BigQuery error's, since the
   * client puts the server's text in different places depending on the call.
   */
  public static List<String> messages(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        out.add(t.getMessage());
      }
      List<BigQueryError> errors = null;
      if (t instanceof BigQueryException bq) {
        if (bq.getError() != null && bq.getError().getMessage() != null) {
          out.add(bq.getError().getMessage());
        }
        errors = bq.getErrors();
      } else if (t instanceof JobException je) {
        errors = je.getErrors();
      }
      if (errors != null) {
        for (BigQueryError err : errors) {
          if (err != null && err.getMessage() != null) {
            out.add(err.getMessage());
          }
        }
      }
    }
    return out;
  }
}
