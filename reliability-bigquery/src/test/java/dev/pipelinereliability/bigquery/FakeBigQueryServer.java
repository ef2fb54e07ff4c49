package dev.pipelinereliability.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An in-process HTTP server on loopback that answers the BigQuery v2 REST calls this module makes
 * with BigQuery's own JSON shapes, so tests drive the REAL google-cloud-bigquery client (pointed
 * here with {@code setHost}) through its real serialization, error mapping and upload protocol.
 *
 * <p>Routes: tables.get / tables.insert / tables.delete, jobs.insert (dry runs and copy jobs),
 * jobs.get, jobs.list by parent job, jobs.query, and the resumable upload of load jobs. Every
 * request is recorded. Anything else answers 404 with the unexpected path, so a test sees what was
 * sent.
 *
 * <p>jobs.query answers from the per-test script of answers while one is queued; otherwise it
 * executes the statement with {@link FakeScriptEngine} against the rows loaded into the tables, so
 * the fence and the partial-data guard are really evaluated, and reports each statement of a script
 * as a child job with its DML statistics, as BigQuery does. A test of a read path may instead
 * answer every jobs.query itself ({@link #answerQueriesWith}). Public, with the methods tests in
 * other packages use, so the module has one fake server.
 */
public final class FakeBigQueryServer implements AutoCloseable {
  static final String PROJECT = "test-project";

  /**
   * One recorded request.
   *
   * @param method the HTTP method
   * @param path the decoded path
   * @param body the (gunzipped) body
   */
  public record Request(String method, String path, String body) {
    boolean is(String m, String pathPart) {
      return method.equals(m) && path.contains(pathPart);
    }
  }

  /**
   * A scripted answer.
   *
   * @param status the HTTP status
   * @param body the JSON body
   */
  public record Answer(int status, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Answer> queryAnswers = new ArrayDeque<>();
  private final Map<String, String> tableSchemas = new HashMap<>();
  private final Map<String, String> uploads = new HashMap<>();
  private final Map<String, String> jobRequests = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, List<Map<String, String>>> data = new HashMap<>();
  private final FakeScriptEngine engine = new FakeScriptEngine(data);
  private final Map<String, List<FakeScriptEngine.Child>> childJobs = new HashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private @Nullable Runnable beforeNextCommit;
  private @Nullable Function<JsonObject, Answer> queryResponder;
  private int failEveryRequest;
  private long dryRunBytes = 0;
  private @Nullable String copyJobError;

  /**
   * Starts the server on a free loopback port.
   *
   * @throws IOException if it cannot bind
   */
  public FakeBigQueryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // Several handler threads: a test may send a request while another one is held open.
    server.setExecutor(executor);
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
  public BigQuery client() {
    return BigQueryOptions.newBuilder()
        .setProjectId(PROJECT)
        .setHost(baseUrl())
        .setCredentials(NoCredentials.getInstance())
        .setLocation("US")
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }

  /**
   * Runs {@code interleaved} once, when the next commit script has run every statement of its
   * transaction but not yet its COMMIT TRANSACTION: another writer's whole write fits there, as it
   * can on BigQuery while a transaction is open. The held script then commits under BigQuery's
   * conflict rule ({@link FakeScriptEngine}), answering "Transaction is aborted due to concurrent
   * update" if it lost.
   */
  synchronized void beforeNextCommit(Runnable interleaved) {
    this.beforeNextCommit = interleaved;
  }

  /** Declares a table and its schema, given as the JSON array of BigQuery field resources. */
  synchronized void table(String dataset, String table, String fieldsJson) {
    tableSchemas.put(dataset + "." + table, fieldsJson);
  }

  /** The rows of a table as the fake holds them (values as text), in insertion order. */
  synchronized List<Map<String, String>> rows(String dataset, String table) {
    List<Map<String, String>> rows = data.getOrDefault(dataset + "." + table, List.of());
    return rows.stream().map(r -> (Map<String, String>) new LinkedHashMap<>(r)).toList();
  }

  /** Replaces the rows of a table. */
  synchronized void putRows(String dataset, String table, List<Map<String, String>> rows) {
    List<Map<String, String>> copy = new ArrayList<>();
    rows.forEach(r -> copy.add(new LinkedHashMap<>(r)));
    data.put(dataset + "." + table, copy);
  }

  /**
   * Answers every later jobs.query with {@code responder} (given the request's JSON) instead of
   * executing it; queued {@link #answerQuery} answers still come first.
   *
   * @param responder the answer for a request
   */
  public synchronized void answerQueriesWith(Function<JsonObject, Answer> responder) {
    this.queryResponder = responder;
  }

  /**
   * Makes every later request fail with {@code status} and BigQuery's not-found error body, as a
   * missing table or an unreachable dataset answers.
   *
   * @param status the HTTP status
   */
  public synchronized void failEveryRequest(int status) {
    this.failEveryRequest = status;
  }

  /**
   * BigQuery's jobs.query answer for a finished query with rows.
   *
   * @param fieldsJson the schema, as the JSON array of BigQuery field resources
   * @param cells each row's cell values, already JSON ({@code null} or a quoted string)
   * @return the response body
   */
  public static String queryResult(String fieldsJson, List<List<String>> cells) {
    StringBuilder rows = new StringBuilder();
    for (List<String> row : cells) {
      rows.append(rows.length() == 0 ? "" : ",").append("{\"f\":[");
      for (int i = 0; i < row.size(); i++) {
        rows.append(i == 0 ? "" : ",").append("{\"v\":").append(row.get(i)).append('}');
      }
      rows.append("]}");
    }
    return "{\"kind\":\"bigquery#queryResponse\",\"jobReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"jobId\":\"job_read\",\"location\":\"US\"},"
        + "\"schema\":{\"fields\":"
        + fieldsJson
        + "},\"rows\":["
        + rows
        + "],\"totalRows\":\""
        + cells.size()
        + "\",\"totalBytesProcessed\":\"0\",\"jobComplete\":true,\"cacheHit\":false}";
  }

  /**
   * BigQuery's jobs.query answer to {@link BigQueryDuplicateValidator}'s check that found {@code
   * report}: one row of total_rows, duplicate_keys, excess_rows and the samples, each a sample_key
   * record of the key columns (typed STRING; a value is sent as its text) and its row_count. For
   * tests here and in other modules (examples/oncall) that script the validator's answer.
   *
   * @param report what the check should report
   * @return the response body
   */
  public static String duplicateCheckResult(DuplicateReport report) {
    StringBuilder keyFields = new StringBuilder();
    List<String> keyColumns = report.check().keyColumns();
    for (int i = 0; i < keyColumns.size(); i++) {
      keyFields
          .append(keyFields.length() == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(keyColumns.get(i))
          .append("\",\"type\":\"")
          .append(keyColumnType(report.samples(), i))
          .append("\",\"mode\":\"NULLABLE\"}");
    }
    String fields =
        "[{\"name\":\"total_rows\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
            + "{\"name\":\"duplicate_keys\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
            + "{\"name\":\"excess_rows\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
            + "{\"name\":\"samples\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
            + "{\"name\":\"sample_key\",\"type\":\"RECORD\",\"mode\":\"NULLABLE\",\"fields\":["
            + keyFields
            + "]},{\"name\":\"row_count\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]}]";
    List<String> samples = new ArrayList<>();
    for (DuplicateSample s : report.samples()) {
      List<String> key = new ArrayList<>();
      for (Object v : s.key()) {
        key.add(v == null ? "{\"v\":null}" : "{\"v\":" + json(String.valueOf(v)) + "}");
      }
      samples.add(
          "{\"v\":{\"f\":[{\"v\":{\"f\":["
              + String.join(",", key)
              + "]}},{\"v\":\""
              + s.count()
              + "\"}]}}");
    }
    return queryResult(
        fields,
        List.of(
            List.of(
                quoted(report.totalRows()),
                quoted(report.duplicateKeys()),
                quoted(report.excessRows()),
                "[" + String.join(",", samples) + "]")));
  }

  /**
   * The BigQuery type of key column {@code i}, from the Java type of its sample values: INTEGER for
   * whole numbers, FLOAT for other numbers, BOOLEAN, else STRING (also with no non-null sample).
   */
  private static String keyColumnType(List<DuplicateSample> samples, int i) {
    for (DuplicateSample sample : samples) {
      Object v = sample.key().get(i);
      if (v instanceof Long || v instanceof Integer || v instanceof Short) {
        return "INTEGER";
      }
      if (v instanceof Number) {
        return "FLOAT";
      }
      if (v instanceof Boolean) {
        return "BOOLEAN";
      }
      if (v != null) {
        return "STRING";
      }
    }
    return "STRING";
  }

  private static String quoted(long n) {
    return "\"" + n + "\"";
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

  /**
   * Every request so far, in arrival order.
   *
   * @return a copy
   */
  public synchronized List<Request> requests() {
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
    return transactionAbortedError("test-project:ds.grading");
  }

  /** The body BigQuery returns when a multi-statement transaction lost a race on {@code table}. */
  static String transactionAbortedError(String table) {
    return error(
        400,
        "Transaction is aborted due to concurrent update against table " + table + ".",
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
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
    int failStatus;
    synchronized (this) {
      requests.add(new Request(method, path, body));
      failStatus = failEveryRequest;
    }
    if (failStatus != 0) {
      send(
          ex,
          failStatus,
          error(
              failStatus, "Not found: Table " + PROJECT + ":ds.scraped", "notFound", "NOT_FOUND"));
      return;
    }
    try {
      route(ex, method, path, query == null ? "" : query, body);
    } catch (RuntimeException e) {
      send(ex, 500, error(500, "fake server bug: " + e, "internalError", "INTERNAL"));
    }
  }

  private void route(HttpExchange ex, String method, String path, String query, String body)
      throws IOException {
    // One matcher over the path, switched from pattern to pattern down the chain.
    Matcher m = JOB.matcher(path);
    if (method.equals("POST") && path.endsWith("/queries")) {
      Answer a;
      Function<JsonObject, Answer> responder;
      synchronized (this) {
        a = queryAnswers.poll();
        responder = queryResponder;
      }
      if (a == null && responder != null) {
        a = responder.apply(JsonParser.parseString(body).getAsJsonObject());
      }
      if (a == null) {
        a = execute(body);
      }
      send(ex, a.status(), a.body());
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
        if (init != null) {
          appendLoaded(init, body);
        }
      }
      send(ex, 200, doneJob(Objects.requireNonNull(init, "upload session " + id), jobId, ""));
    } else if (method.equals("POST") && path.endsWith("/jobs")) {
      String jobId = jobIdOf(body);
      synchronized (this) {
        jobRequests.put(jobId, body);
      }
      String done = failIfCopy(body, doneJob(body, jobId, statisticsFor(body)));
      send(ex, 200, done);
    } else if (method.equals("GET") && m.usePattern(QUERY_RESULTS).reset().matches()) {
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
    } else if (method.equals("GET") && path.endsWith("/jobs") && query.contains("parentJobId=")) {
      String parent = query.replaceAll(".*parentJobId=([^&]+).*", "$1");
      send(ex, 200, childJobList(parent));
    } else if (method.equals("GET") && m.usePattern(JOB).reset().matches()) {
      String original;
      List<FakeScriptEngine.Child> ran;
      synchronized (this) {
        original = jobRequests.get(m.group(2));
        ran = childJobs.get(m.group(2));
      }
      if (ran != null && ran.size() == 1) {
        // A bare statement run by jobs.query: its own statistics carry the DML counts.
        send(ex, 200, childJob(m.group(2), ran.get(0), null, 0));
        return;
      }
      // A job made by jobs.query (the client reloads it for DML statistics) is a query job.
      String request =
          original == null ? "{\"configuration\":{\"query\":{\"query\":\"\"}}}" : original;
      send(ex, 200, failIfCopy(request, doneJob(request, m.group(2), "")));
    } else if (m.usePattern(TABLE).reset().matches()) {
      String key = m.group(2) + "." + m.group(3);
      if (method.equals("DELETE")) {
        synchronized (this) {
          data.remove(key);
        }
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
    } else if (method.equals("POST") && m.usePattern(TABLES).reset().matches()) {
      JsonObject ref =
          JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("tableReference");
      String key = m.group(2) + "." + ref.get("tableId").getAsString();
      boolean exists;
      synchronized (this) {
        exists = tableSchemas.containsKey(key);
        if (!exists && key.endsWith(BigQueryWriter.FENCE_TABLE_SUFFIX)) {
          // Fence tables persist, so a second writer's create meets BigQuery's 409.
          tableSchemas.put(key, "[]");
        }
      }
      if (exists) {
        send(
            ex,
            409,
            error(
                409,
                "Already Exists: Table " + PROJECT + ":" + key,
                "duplicate",
                "ALREADY_EXISTS"));
      } else {
        send(ex, 200, body.replaceFirst("\\{", "{\"kind\":\"bigquery#table\",\"type\":\"TABLE\","));
      }
    } else {
      send(ex, 404, error(404, "fake: unexpected " + method + " " + path, "notFound", "NOT_FOUND"));
    }
  }

  /**
   * Runs a jobs.query request with the engine. An {@code ERROR(...)} answers as BigQuery answers a
   * failed statement: HTTP 400 whose error and errors[0] carry reason {@code invalidQuery} and the
   * message with its position appended, as in BigQuery's reported payloads for failed queries (for
   * example {@code
   * {"code":400,"errors":[{"domain":"global","location":"q","locationType":"parameter",
   * "message":"... at [8:3]","reason":"invalidQuery"}],"message":"... at [8:3]","status":
   * "INVALID_ARGUMENT"}}, quoted in public dbt and Kafka Connect logs), carrying the text given to
   * ERROR (BigQuery's debugging-functions reference). A live BigQuery has not confirmed the exact
   * wording around that text, which is why the writer matches it anywhere in the message.
   */
  private Answer execute(String body) {
    JsonObject request = JsonParser.parseString(body).getAsJsonObject();
    String sql = request.get("query").getAsString();
    Map<String, String> params = new HashMap<>();
    if (request.has("queryParameters")) {
      for (JsonElement p : request.getAsJsonArray("queryParameters")) {
        JsonObject o = p.getAsJsonObject();
        JsonElement v = o.getAsJsonObject("parameterValue").get("value");
        params.put(
            o.get("name").getAsString(), v == null || v.isJsonNull() ? null : v.getAsString());
      }
    }
    FakeScriptEngine.Execution execution;
    synchronized (this) {
      try {
        execution = engine.start(sql, params);
      } catch (FakeScriptEngine.Raised e) {
        String message = e.getMessage() + " at [" + e.line + ":3]";
        return new Answer(
            400,
            "{\"error\":{\"code\":400,\"message\":"
                + json(message)
                + ",\"errors\":[{\"message\":"
                + json(message)
                + ",\"domain\":\"global\",\"reason\":\"invalidQuery\",\"location\":\"q\","
                + "\"locationType\":\"parameter\"}],\"status\":\"INVALID_ARGUMENT\"}}");
      } catch (FakeScriptEngine.Unsupported e) {
        return new Answer(
            500, error(500, String.valueOf(e.getMessage()), "internalError", "INTERNAL"));
      }
    }
    if (execution.atCommit()) {
      Runnable interleaved;
      synchronized (this) {
        interleaved = beforeNextCommit;
        beforeNextCommit = null;
      }
      if (interleaved != null) {
        interleaved.run(); // outside the lock: it sends its own requests to this server
      }
    }
    List<FakeScriptEngine.Child> ran;
    synchronized (this) {
      try {
        ran = execution.atCommit() ? engine.finish(execution) : execution.children();
      } catch (FakeScriptEngine.Aborted e) {
        return new Answer(400, transactionAbortedError(e.table));
      }
    }
    String jobId = "job_q" + ids.incrementAndGet();
    synchronized (this) {
      childJobs.put(jobId, ran);
      jobRequests.put(jobId, "{\"configuration\":{\"query\":{\"query\":\"\"}}}");
    }
    long affected = ran.size() == 1 ? ran.get(0).inserted() + ran.get(0).deleted() : 0;
    return new Answer(
        200,
        "{\"kind\":\"bigquery#queryResponse\",\"jobReference\":{\"projectId\":\""
            + PROJECT
            + "\",\"jobId\":\""
            + jobId
            + "\",\"location\":\"US\"},\"totalRows\":\"0\",\"totalBytesProcessed\":\"0\","
            + "\"jobComplete\":true,\"cacheHit\":false"
            + (ran.size() == 1 ? ",\"numDmlAffectedRows\":\"" + affected + "\"" : "")
            + "}");
  }

  private synchronized String childJobList(String parent) {
    List<FakeScriptEngine.Child> ran = childJobs.getOrDefault(parent, List.of());
    StringBuilder out = new StringBuilder("{\"kind\":\"bigquery#jobList\",\"jobs\":[");
    // BigQuery lists a script's child jobs newest first.
    for (int i = ran.size() - 1; i >= 0; i--) {
      out.append(childJob(parent + "_" + i, ran.get(i), parent, i));
      if (i > 0) {
        out.append(',');
      }
    }
    return out.append("]}").toString();
  }

  private static String childJob(
      String jobId, FakeScriptEngine.Child child, @Nullable String parent, int order) {
    String dml =
        child.statementType().equals("MERGE")
                || child.statementType().equals("DELETE")
                || child.statementType().equals("INSERT")
            ? ",\"dmlStats\":{\"insertedRowCount\":\""
                + child.inserted()
                + "\",\"deletedRowCount\":\""
                + child.deleted()
                + "\",\"updatedRowCount\":\""
                + child.updated()
                + "\"}"
            : "";
    return "{\"kind\":\"bigquery#job\",\"id\":\""
        + PROJECT
        + ":US."
        + jobId
        + "\",\"jobReference\":{\"projectId\":\""
        + PROJECT
        + "\",\"jobId\":\""
        + jobId
        + "\",\"location\":\"US\"},\"state\":\"DONE\","
        + "\"configuration\":{\"jobType\":\"QUERY\",\"query\":{\"query\":\"\"}},"
        + "\"status\":{\"state\":\"DONE\"},\"statistics\":{\"creationTime\":\""
        + (1000 + 10 * order)
        + "\",\"startTime\":\""
        + (1001 + 10 * order)
        + "\",\"endTime\":\""
        + (1002 + 10 * order)
        + "\""
        + (parent == null ? "" : ",\"parentJobId\":\"" + parent + "\"")
        + ",\"query\":{\"totalBytesProcessed\":\"0\",\"statementType\":\""
        + child.statementType()
        + "\""
        + dml
        + "}}}";
  }

  /** Appends the NDJSON rows of a finished upload to the load's destination table. */
  private void appendLoaded(String init, String ndjson) {
    JsonObject config =
        JsonParser.parseString(init).getAsJsonObject().getAsJsonObject("configuration");
    if (config == null || !config.has("load")) {
      return;
    }
    JsonObject dest = config.getAsJsonObject("load").getAsJsonObject("destinationTable");
    String key = dest.get("datasetId").getAsString() + "." + dest.get("tableId").getAsString();
    List<Map<String, String>> rows = data.computeIfAbsent(key, k -> new ArrayList<>());
    for (String line : ndjson.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e :
          JsonParser.parseString(line).getAsJsonObject().entrySet()) {
        row.put(e.getKey(), e.getValue().isJsonNull() ? null : e.getValue().getAsString());
      }
      rows.add(row);
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
  private static String defaultStatistics(@Nullable String configuration) {
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
  static @Nullable String extractObject(String json, String key) {
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

  /** Stops the server and its handler threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
