package dev.pipelinereliability.bigquery;

import java.io.IOException;
import java.util.List;

/**
 * reliability-bigquery's {@link FakeBigQueryServer} (from its test-jar; package-private, hence this
 * class in its package) for the on-call command line's process tests: the jar is pointed at {@link
 * #baseUrl()} with {@code --bigquery-endpoint}, so its real BigQuery client talks to it.
 */
public final class LoopbackBigQuery implements AutoCloseable {
  private final FakeBigQueryServer server;

  /**
   * Starts the server on a free loopback port.
   *
   * @throws IOException if it cannot listen
   */
  public LoopbackBigQuery() throws IOException {
    server = new FakeBigQueryServer();
  }

  /**
   * Returns the URL to give {@code --bigquery-endpoint}.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public String baseUrl() {
    return server.baseUrl();
  }

  /**
   * Queues the answer to the next jobs.query call.
   *
   * @param status the HTTP status
   * @param body BigQuery's JSON answer
   */
  public void answerQuery(int status, String body) {
    server.answerQuery(status, body);
  }

  /**
   * Returns the bodies of the jobs.query requests received, in order.
   *
   * @return the JSON bodies
   */
  public List<String> queries() {
    return server.requests("POST", "/queries").stream()
        .map(FakeBigQueryServer.Request::body)
        .toList();
  }

  /**
   * Returns the bodies of the jobs.insert requests received (copy and snapshot jobs, dry runs).
   *
   * @return the JSON bodies
   */
  public List<String> insertedJobs() {
    return server.requests("POST", "/jobs").stream()
        .filter(r -> !r.path().contains("/queries"))
        .map(FakeBigQueryServer.Request::body)
        .toList();
  }

  /**
   * Returns BigQuery's answer to a MERGE that inserted and deleted rows, with its DML statistics.
   *
   * @param inserted rows inserted
   * @param deleted rows deleted
   * @return the JSON body
   */
  public static String mergeDone(long inserted, long deleted) {
    return "{\"kind\":\"bigquery#queryResponse\",\"jobReference\":{\"projectId\":\""
        + FakeBigQueryServer.PROJECT
        + "\",\"jobId\":\"job_cleanup\",\"location\":\"US\"},\"totalRows\":\"0\","
        + "\"totalBytesProcessed\":\"0\",\"jobComplete\":true,\"cacheHit\":false,"
        + "\"numDmlAffectedRows\":\""
        + (inserted + deleted)
        + "\",\"dmlStats\":{\"insertedRowCount\":\""
        + inserted
        + "\",\"deletedRowCount\":\""
        + deleted
        + "\"}}";
  }

  /**
   * Returns BigQuery's error body.
   *
   * @param code the HTTP status
   * @param message the error message
   * @param reason the error reason, such as {@code accessDenied}
   * @param status the gRPC-style status, such as {@code PERMISSION_DENIED}
   * @return the JSON body
   */
  public static String error(int code, String message, String reason, String status) {
    return FakeBigQueryServer.error(code, message, reason, status);
  }

  @Override
  public void close() {
    server.close();
  }
}
