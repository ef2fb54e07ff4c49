package dev.pipelinereliability.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process HTTP server on loopback that answers the BigQuery v2 REST calls this module makes
 * with BigQuery's own JSON shapes, so tests drive the REAL google-cloud-bigquery client (pointed
 * here with {@code setHost}) through its real serialization, error mapping and upload protocol.
 *
 * <p>Routes: tables.get / tables.insert / tables.delete, jobs.insert (dry runs and copy jobs),
 * jobs.get, jobs.query (scripted per test), and the resumable upload of load jobs. Every request is
 * recorded. Anything else answers 404 with the unexpected path, so a test sees what was sent.
 */
final class FakeBigQueryServer implements AutoCloseable {
  static final String PROJECT = "test-project";

  /** One recorded request. */
  record Request(String method, String path, String body) {
    boolean is(String m, String pathPart) {
      return method.equals(m) && path.contains(pathPart);
    }
  }

  /** A scripted answer. */
  record Answer(int status, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Answer> queryAnswers = new ArrayDeque<>();
  private final Map<String, String> tableSchemas = new HashMap<>();
  private final Map<String, String> uploads = new HashMap<>();
  private final Map<String, String> jobRequests = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private long dryRunBytes = 0;
  private String copyJobError;

  FakeBigQueryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The real client, pointed at this server, without client retries: a failure (a missing scripted
   * answer is a 500) surfaces at once instead of after real backoff sleeps. Concurrent-update
   * retries are the library's {@code Retrier}, not the client's.
   */
  BigQuery client() {
    return BigQueryOptions.newBuilder()
        .setProjectId(PROJECT)
        .setHost(baseUrl())
        .setCredentials(NoCredentials.getInstance())
        .setLocation("US")
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }

  /** Declares a table and its schema, given as the JSON array of BigQuery field resources. */
  synchronized void table(String dataset, String table, String fieldsJson) {
    tableSchemas.put(dataset + "." + table, fieldsJson);
  }

  /** Queues the answer to the next jobs.query call. */
  synchronized void answerQuery(int status, String body) {
    queryAnswers.add(new Answer(status, body));
  }

  /** Makes every later copy (or snapshot) job finish DONE with this error message. */
  synchronized void failCopyJobs(String message) {
    copyJobError = message;
  }

  synchronized void dryRunBytes(long bytes) {
    dryRunBytes = bytes;
  }

  synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  synchronized List<Request> requests(String method, String pathPart) {
    return requests.stream().filter(r -> r.is(method, pathPart)).toList();
  }

  /** The uploaded bytes of every load, in order. */
  synchronized List<String> uploadedData() {
    return requests.stream()
        .filter(r -> r.method().equals("PUT") && r.path().startsWith("/upload/"))
        .map(Request::body)
        .toList();
  }

  /** The body BigQuery returns for a concurrent-update failure of a DML statement. */
  static String concurrentUpdateError(String table) {
    String message = "Could not serialize access to table " + table + " due to concurrent update";
    return error(400, message, "invalidQuery", "INVALID_ARGUMENT");
  }

  /** The body BigQuery returns when a multi-statement transaction lost a race. */
  static String transactionAbortedError() {
    return error(
        400,
        "Transaction is aborted due to concurrent update against table test-project:ds.grading.",
        "invalidQuery",
        "INVALID_ARGUMENT");
  }

  static String error(int code, String message, String reason, String status) {
    String m = json(message);
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":"
        + m
        + ",\"errors\":[{\"message\":"
        + m
        + ",\"domain\":\"global\",\"reason\":\""
        + reason
        + "\"}],\"status\":\""
        + status
        + "\"}}";
  }

  /** A successful DML answer from jobs.query. */
  static String dmlDone(long affected) {
    return "{\"kind\":\"bigquery#queryResponse\",\"jobReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"jobId\":\"job_dml\",\"location\":\"US\"},\"totalRows\":\"0\","
        + "\"totalBytesProcessed\":\"0\",\"jobComplete\":true,\"cacheHit\":false,"
        + "\"numDmlAffectedRows\":\""
        + affected
        + "\",\"dmlStats\":{\"insertedRowCount\":\""
        + affected
        + "\"}}";
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  private static final Pattern TABLE =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/?]+)");
  private static final Pattern TABLES =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern QUERY_RESULTS =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/queries/([^/?]+)");
  private static final Pattern JOB = Pattern.compile("/bigquery/v2/projects/([^/]+)/jobs/([^/?]+)");

  private void handle(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.contains("gzip") && raw.length > 0) {
      // The client gzips most request bodies, as it does against the real service.
      try (java.util.zip.GZIPInputStream in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        raw = in.readAllBytes();
      }
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
    String query = ex.getRequestURI().getRawQuery();
    String method = ex.getRequestMethod();
    synchronized (this) {
      requests.add(new Request(method, path, body));
    }
    try {
      route(ex, method, path, query == null ? "" : query, body);
    } catch (RuntimeException e) {
      send(ex, 500, error(500, "fake server bug: " + e, "internalError", "INTERNAL"));
    }
  }

  private void route(HttpExchange ex, String method, String path, String query, String body)
      throws IOException {
    Matcher m;
    if (method.equals("POST") && path.endsWith("/queries")) {
      Answer a;
      synchronized (this) {
        a = queryAnswers.poll();
      }
      if (a == null) {
        send(ex, 500, error(500, "no scripted answer for jobs.query", "internalError", "INTERNAL"));
      } else {
        send(ex, a.status(), a.body());
      }
    } else if (method.equals("POST")
        && path.startsWith("/upload/")
        && query.contains("resumable")) {
      String id = "upload" + ids.incrementAndGet();
      synchronized (this) {
        uploads.put(id, body);
      }
      ex.getResponseHeaders()
          .add(
              "Location",
              baseUrl()
                  + "/upload/bigquery/v2/projects/"
                  + PROJECT
                  + "/jobs?uploadType=resumable&upload_id="
                  + id);
      send(ex, 200, "");
    } else if (method.equals("PUT") && path.startsWith("/upload/")) {
      String id = query.replaceAll(".*upload_id=([^&]+).*", "$1");
      String init;
      synchronized (this) {
        init = uploads.get(id);
      }
      String jobId = init == null ? "job_" + id : jobIdOf(init);
      synchronized (this) {
        jobRequests.put(jobId, init);
      }
      send(ex, 200, doneJob(init, jobId, ""));
    } else if (method.equals("POST") && path.endsWith("/jobs")) {
      String jobId = jobIdOf(body);
      synchronized (this) {
        jobRequests.put(jobId, body);
      }
      String done = failIfCopy(body, doneJob(body, jobId, statisticsFor(body)));
      send(ex, 200, done);
    } else if (method.equals("GET") && (m = QUERY_RESULTS.matcher(path)).matches()) {
      // jobs.getQueryResults for a finished DML job: no rows.
      send(
          ex,
          200,
          "{\"kind\":\"bigquery#getQueryResultsResponse\",\"jobReference\":{\"projectId\":\""
              + PROJECT
              + "\",\"jobId\":\""
              + m.group(2)
              + "\",\"location\":\"US\"},\"schema\":{\"fields\":[]},\"totalRows\":\"0\","
              + "\"jobComplete\":true,\"cacheHit\":false}");
    } else if (method.equals("GET") && (m = JOB.matcher(path)).matches()) {
      String original;
      synchronized (this) {
        original = jobRequests.get(m.group(2));
      }
      // A job made by jobs.query (the client reloads it for DML statistics) is a query job.
      String request =
          original == null ? "{\"configuration\":{\"query\":{\"query\":\"\"}}}" : original;
      send(ex, 200, failIfCopy(request, doneJob(request, m.group(2), "")));
    } else if ((m = TABLE.matcher(path)).matches()) {
      String key = m.group(2) + "." + m.group(3);
      if (method.equals("DELETE")) {
        send(ex, 204, "");
        return;
      }
      String fields;
      synchronized (this) {
        fields = tableSchemas.get(key);
      }
      if (fields == null) {
        send(
            ex,
            404,
            error(404, "Not found: Table " + PROJECT + ":" + key, "notFound", "NOT_FOUND"));
      } else {
        send(ex, 200, tableResource(m.group(2), m.group(3), fields));
      }
    } else if (method.equals("POST") && TABLES.matcher(path).matches()) {
      send(ex, 200, body.replaceFirst("\\{", "{\"kind\":\"bigquery#table\",\"type\":\"TABLE\","));
    } else {
      send(ex, 404, error(404, "fake: unexpected " + method + " " + path, "notFound", "NOT_FOUND"));
    }
  }

  /** {@code done} with the scripted copy-job error, if {@code request} is a copy and one is set. */
  private synchronized String failIfCopy(String request, String done) {
    if (copyJobError == null || !request.contains("\"copy\":{")) {
      return done;
    }
    return done.replace(
        "\"status\":{\"state\":\"DONE\"}",
        "\"status\":{\"state\":\"DONE\",\"errorResult\":{\"reason\":\"invalid\",\"message\":\""
            + copyJobError
            + "\"}}");
  }

  private String jobIdOf(String body) {
    Matcher m = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    return m.find() ? m.group(1) : "job_" + ids.incrementAndGet();
  }

  private String statisticsFor(String body) {
    if (body.contains("\"dryRun\":true")) {
      return ",\"statistics\":{\"creationTime\":\"1\",\"totalBytesProcessed\":\""
          + dryRunBytes
          + "\",\"query\":{\"totalBytesProcessed\":\""
          + dryRunBytes
          + "\",\"statementType\":\"SELECT\"}}";
    }
    return "";
  }

  private static String doneJob(String requestJson, String jobId, String statistics) {
    String configuration = extractObject(requestJson, "\"configuration\":");
    return "{\"kind\":\"bigquery#job\",\"id\":\""
        + PROJECT
        + ":US."
        + jobId
        + "\",\"jobReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"jobId\":\""
        + jobId
        + "\",\"location\":\"US\"},\"configuration\":"
        + (configuration == null ? "{}" : configuration)
        + ",\"status\":{\"state\":\"DONE\"}"
        + (statistics.isEmpty() ? defaultStatistics(configuration) : statistics)
        + "}";
  }

  /** Statistics of the job's kind: the client picks its statistics class from them. */
  private static String defaultStatistics(String configuration) {
    String kind;
    if (configuration == null) {
      kind = "";
    } else if (configuration.startsWith("{\"load\"") || configuration.contains("\"load\":{")) {
      kind = ",\"load\":{\"inputFiles\":\"1\",\"outputRows\":\"1\"}";
    } else if (configuration.contains("\"copy\":{")) {
      kind = ",\"copy\":{\"copiedRows\":\"0\"}";
    } else {
      kind = ",\"query\":{\"totalBytesProcessed\":\"0\"}";
    }
    return ",\"statistics\":{\"creationTime\":\"1\",\"startTime\":\"2\",\"endTime\":\"3\""
        + kind
        + "}";
  }

  private static String tableResource(String dataset, String table, String fields) {
    return "{\"kind\":\"bigquery#table\",\"id\":\""
        + PROJECT
        + ":"
        + dataset
        + "."
        + table
        + "\",\"tableReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"datasetId\":\""
        + dataset
        + "\",\"tableId\":\""
        + table
        + "\"},\"type\":\"TABLE\",\"schema\":{\"fields\":"
        + fields
        + "},\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"game_date\"}}";
  }

  /** The JSON object following {@code key} in {@code json}, by brace matching. */
  static String extractObject(String json, String key) {
    int i = json.indexOf(key);
    if (i < 0) {
      return null;
    }
    int start = json.indexOf('{', i);
    int depth = 0;
    boolean inString = false;
    for (int j = start; j < json.length(); j++) {
      char c = json.charAt(j);
      if (inString) {
        if (c == '\\') {
          j++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return json.substring(start, j + 1);
      }
    }
    return null;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!body.isEmpty()) {
      ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    }
    if (status == 204 || bytes.length == 0) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
