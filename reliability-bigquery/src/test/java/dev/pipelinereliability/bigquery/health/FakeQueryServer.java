package dev.pipelinereliability.bigquery.health;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * An in-process HTTP server on loopback that answers BigQuery's {@code jobs.query} REST call the
 * way BigQuery answers the arrival query: one row, one nullable TIMESTAMP column holding the latest
 * load time recorded for the date parameter. The REAL google-cloud-bigquery client talks to it
 * (pointed here with {@code setHost}), so serialization of parameters and parsing of timestamps are
 * the client's own. Records every request body.
 */
final class FakeQueryServer implements AutoCloseable {
  static final String PROJECT = "test-project";
  private static final Pattern DATE_VALUE =
      Pattern.compile("\"parameterValue\"\\s*:\\s*\\{\\s*\"value\"\\s*:\\s*\"([0-9-]+)\"");

  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final Map<LocalDate, Instant> latest = new ConcurrentHashMap<>();
  private volatile int failWithStatus;

  FakeQueryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The real client, pointed at this server, without retries so failures surface at once. */
  BigQuery client() {
    return BigQueryOptions.newBuilder()
        .setProjectId(PROJECT)
        .setHost("http://127.0.0.1:" + server.getAddress().getPort())
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(
            com.google.api.gax.retrying.RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }

  /** Records a load at {@code at} for {@code date}; the latest one wins, as MAX would. */
  void recordLoad(LocalDate date, Instant at) {
    latest.merge(date, at.truncatedTo(ChronoUnit.MICROS), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Makes every later request fail with {@code status} and BigQuery's error body. */
  void failWith(int status) {
    failWithStatus = status;
  }

  List<String> requestBodies() {
    return List.copyOf(bodies);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.contains("gzip") && raw.length > 0) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        raw = in.readAllBytes();
      }
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    bodies.add(body);
    String path = ex.getRequestURI().getPath();
    if (failWithStatus != 0) {
      send(
          ex,
          failWithStatus,
          "{\"error\":{\"code\":"
              + failWithStatus
              + ",\"message\":\"Not found: Table test-project:ds.scraped\","
              + "\"errors\":[{\"message\":\"Not found: Table test-project:ds.scraped\","
              + "\"domain\":\"global\",\"reason\":\"notFound\"}],\"status\":\"NOT_FOUND\"}}");
      return;
    }
    if (!ex.getRequestMethod().equals("POST")
        || !path.endsWith("/projects/" + PROJECT + "/queries")) {
      send(ex, 404, "{\"error\":{\"code\":404,\"message\":\"unexpected " + path + "\"}}");
      return;
    }
    Matcher m = DATE_VALUE.matcher(body);
    Instant at = m.find() ? latest.get(LocalDate.parse(m.group(1))) : null;
    send(ex, 200, queryResponse(at, body.contains("\"useInt64Timestamp\":true")));
  }

  /** BigQuery's answer: TIMESTAMP as float seconds, or as int64 microseconds when asked. */
  private static String queryResponse(Instant at, boolean int64) {
    String value;
    if (at == null) {
      value = "null";
    } else {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
      value =
          "\""
              + (int64
                  ? Long.toString(micros)
                  : new BigDecimal(micros).movePointLeft(6).toPlainString())
              + "\"";
    }
    return "{\"kind\":\"bigquery#queryResponse\",\"jobReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"jobId\":\"job_arrival\",\"location\":\"US\"},"
        + "\"schema\":{\"fields\":[{\"name\":\"latest_arrival\",\"type\":\"TIMESTAMP\","
        + "\"mode\":\"NULLABLE\"}]},"
        + "\"rows\":[{\"f\":[{\"v\":"
        + value
        + "}]}],\"totalRows\":\"1\",\"totalBytesProcessed\":\"0\",\"jobComplete\":true,"
        + "\"cacheHit\":false}";
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
