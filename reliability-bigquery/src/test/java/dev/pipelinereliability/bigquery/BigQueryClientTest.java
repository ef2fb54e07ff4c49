package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.BigQuery;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pipelinereliability.bigquery.internal.IdentifierTest;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.validation.ValidationException;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real google-cloud-bigquery client against {@link FakeBigQueryServer}: what goes over the wire
 * and how answers (results, the real concurrent-update payload, other errors) come back.
 */
class BigQueryClientTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final String FIELDS =
      "[{\"name\":\"game_date\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"game_id\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"player\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"system_id\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"points\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]";

  private FakeBigQueryServer server;
  private BigQuery bigquery;
  private final List<Duration> sleeps = new ArrayList<>();
  private final CountingHandle lock = new CountingHandle(LockKey.of("grading", DAY), 1);
  private final AtomicInteger preCommitChecks = lock.checks;
  private final Fence countingCheck = Fence.of(lock);

  @BeforeEach
  void start() throws Exception {
    server = new FakeBigQueryServer();
    server.table("ds", "grading", FIELDS);
    bigquery = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BigQueryWriter writer(RetryPolicy policy) {
    return BigQueryWriter.builder(bigquery)
        .retryPolicy(policy)
        .sleeper(sleeps::add)
        .random(new SplittableRandom(7))
        // These tests pin the wire; the guard has its own tests (FencedWriteTest).
        .partialDataGuard(PartialDataGuard.off())
        .build();
  }

  /** Replaces the day's partition with one row: the write most scenarios need. */
  private WriteResult replaceOneRow(RetryPolicy policy, Fence check) {
    return writer(policy)
        .replacePartition(
            "ds.grading",
            new PartitionFilter("game_date", DAY),
            List.of(row("g1", "a", 1, 10)),
            check);
  }

  private static Map<String, Object> row(String game, String player, long system, long points) {
    Map<String, Object> r = new HashMap<>();
    r.put("game_date", DAY);
    r.put("game_id", game);
    r.put("player", player);
    r.put("system_id", system);
    r.put("points", points);
    return r;
  }

  private static JsonObject json(String body) {
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private static String param(JsonObject request, String name) {
    for (var p : request.getAsJsonArray("queryParameters")) {
      if (p.getAsJsonObject().get("name").getAsString().equals(name)) {
        return p.getAsJsonObject().getAsJsonObject("parameterValue").get("value").getAsString();
      }
    }
    throw new AssertionError("no parameter " + name + " in " + request);
  }

  private String stagingTableName() {
    return server.requests("POST", "/datasets/ds/tables").stream()
        .map(r -> json(r.body()).getAsJsonObject("tableReference").get("tableId").getAsString())
        .filter(n -> n.startsWith("grading_staging_"))
        .findFirst()
        .orElseThrow();
  }

  private JsonObject onlyQueryRequest() {
    List<FakeBigQueryServer.Request> queries = server.requests("POST", "/queries");
    assertThat(queries).hasSize(1);
    return json(queries.get(0).body());
  }

  private static final String REPORT_ANSWER =
      """
      {"kind":"bigquery#queryResponse",
       "schema":{"fields":[
         {"name":"total_rows","type":"INTEGER","mode":"NULLABLE"},
         {"name":"duplicate_keys","type":"INTEGER","mode":"NULLABLE"},
         {"name":"excess_rows","type":"INTEGER","mode":"NULLABLE"},
         {"name":"samples","type":"RECORD","mode":"REPEATED","fields":[
           {"name":"sample_key","type":"RECORD","mode":"NULLABLE","fields":[
             {"name":"game_id","type":"STRING","mode":"NULLABLE"},
             {"name":"player","type":"STRING","mode":"NULLABLE"},
             {"name":"system_id","type":"INTEGER","mode":"NULLABLE"}]},
           {"name":"row_count","type":"INTEGER","mode":"NULLABLE"}]}]},
       "jobReference":{"projectId":"test-project","jobId":"job_check","location":"US"},
       "totalRows":"1",
       "rows":[{"f":[{"v":"497304"},{"v":"2"},{"v":"3"},{"v":[
         {"v":{"f":[{"v":{"f":[{"v":"0022400123"},{"v":"lebronjames"},{"v":"7"}]}},{"v":"3"}]}},
         {"v":{"f":[{"v":{"f":[{"v":"0022400123"},{"v":null},{"v":"7"}]}},{"v":"2"}]}}]}]}],
       "totalBytesProcessed":"1048576","jobComplete":true,"cacheHit":false}
      """;

  private static DuplicateCheck check() {
    return DuplicateCheck.of("ds.grading", List.of("game_id", "player", "system_id"))
        .inPartition("game_date", DAY);
  }

  @Test
  void validatorSendsOneQueryWithPartitionValueBoundNotInlined() {
    server.answerQuery(200, REPORT_ANSWER);

    BigQueryDuplicateValidator.builder(bigquery)
        .maximumBytesBilled(10_000_000L)
        .build()
        .validate(check());

    JsonObject request = onlyQueryRequest();
    String sql = request.get("query").getAsString();
    assertThat(sql).isEqualTo(BigQueryDuplicateValidator.sql(check()));
    assertThat(sql).doesNotContain("2026").contains("@partition_value");
    assertThat(request.get("useLegacySql").getAsBoolean()).isFalse();
    JsonArray params = request.getAsJsonArray("queryParameters");
    assertThat(params).hasSize(1);
    JsonObject p = params.get(0).getAsJsonObject();
    assertThat(p.get("name").getAsString()).isEqualTo("partition_value");
    assertThat(p.getAsJsonObject("parameterType").get("type").getAsString()).isEqualTo("DATE");
    assertThat(p.getAsJsonObject("parameterValue").get("value").getAsString())
        .isEqualTo("2026-11-23");
    assertThat(request.has("maximumBytesBilled")).as("request %s", request).isTrue();
    assertThat(request.get("maximumBytesBilled").getAsString()).isEqualTo("10000000");
  }

  @Test
  void validatorParsesCountsAndTypedSamplesFromTheResult() {
    server.answerQuery(200, REPORT_ANSWER);

    DuplicateReport report = BigQueryDuplicateValidator.create(bigquery).validate(check());

    assertThat(report.totalRows()).isEqualTo(497_304);
    assertThat(report.duplicateKeys()).isEqualTo(2);
    assertThat(report.excessRows()).isEqualTo(3);
    assertThat(report.isClean()).isFalse();
    assertThat(report.samples())
        .containsExactly(
            new DuplicateSample(List.of("0022400123", "lebronjames", 7L), 3),
            new DuplicateSample(Arrays.asList("0022400123", null, 7L), 2));
  }

  @Test
  void validatorWrapsBackendErrorsAsValidationException() {
    server.answerQuery(
        404,
        FakeBigQueryServer.error(
            404, "Not found: Table test-project:ds.grading", "notFound", "NOT_FOUND"));

    assertThatThrownBy(() -> BigQueryDuplicateValidator.create(bigquery).validate(check()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Not found");
  }

  @Test
  void dryRunEstimateReturnsBytesAndRunsNothing() {
    server.dryRunBytes(8_392_704L);

    long bytes = BigQueryDuplicateValidator.create(bigquery).estimateBytes(check());

    assertThat(bytes).isEqualTo(8_392_704L);
    List<FakeBigQueryServer.Request> inserts = server.requests("POST", "/jobs");
    assertThat(inserts).hasSize(1);
    JsonObject config = json(inserts.get(0).body()).getAsJsonObject("configuration");
    assertThat(config.get("dryRun").getAsBoolean()).isTrue();
    assertThat(config.getAsJsonObject("query").get("query").getAsString())
        .isEqualTo(BigQueryDuplicateValidator.sql(check()));
    assertThat(server.requests("POST", "/queries")).isEmpty();
  }

  @Test
  void replacePartitionStagesRowsThenOneFencedCommitThenDropsStaging() {
    List<Map<String, Object>> rows = List.of(row("g1", "a", 1, 10), row("g1", "b", 1, 12));

    WriteResult result =
        writer(BigQueryWriter.DEFAULT_RETRY_POLICY)
            .replacePartition(
                "ds.grading", new PartitionFilter("game_date", DAY), rows, countingCheck);

    assertThat(result.rowsInserted()).isEqualTo(2);
    assertThat(result.rowsDeleted()).isZero();
    assertThat(result.attempts()).isEqualTo(1);
    List<String> calls =
        server.requests().stream().map(r -> r.method() + " " + shortPath(r.path())).toList();
    assertThat(calls)
        .containsSubsequence(
            "POST tables", // the fence table, on first use
            "GET tables/grading", // schema
            "POST tables", // staging table with expiry
            "POST upload", // load job into staging
            "PUT upload",
            "POST queries", // the commit script
            "GET jobs"); // its child jobs, for the DML statistics
    assertThat(calls.get(calls.size() - 1)).startsWith("DELETE tables/grading_staging_");
    // Staging: created with the target's schema and an expiry, in the target's dataset.
    String stagingName = stagingTableName();
    JsonObject staging =
        json(
            server.requests("POST", "/datasets/ds/tables").stream()
                .filter(r -> r.body().contains(stagingName))
                .findFirst()
                .orElseThrow()
                .body());
    assertThat(staging.has("expirationTime")).isTrue();
    assertThat(server.requests("DELETE", "/tables/" + stagingName)).hasSize(1);
    // Load: into the staging table, JSON, never creating it.
    JsonObject load =
        json(server.requests("POST", "/upload/").get(0).body())
            .getAsJsonObject("configuration")
            .getAsJsonObject("load");
    assertThat(load.getAsJsonObject("destinationTable").get("tableId").getAsString())
        .isEqualTo(stagingName);
    assertThat(load.get("sourceFormat").getAsString()).isEqualTo("NEWLINE_DELIMITED_JSON");
    assertThat(server.uploadedData().get(0).lines()).hasSize(2);
    assertThat(server.uploadedData().get(0)).contains("\"game_date\":\"2026-11-23\"");
    // The commit: golden text, values bound, checked once right before.
    JsonObject commit = onlyQueryRequest();
    TableRef target = TableRef.parse("ds.grading");
    assertThat(commit.get("query").getAsString())
        .isEqualTo(
            Sql.commitScript(
                target,
                Optional.of(TableRef.parse("ds.grading__fence")),
                Optional.empty(),
                Sql.replacePartition(
                    target,
                    TableRef.parse("ds." + stagingName),
                    new PartitionFilter("game_date", DAY))));
    assertThat(commit.get("query").getAsString()).doesNotContain("2026");
    assertThat(param(commit, "partition_value")).isEqualTo("2026-11-23");
    assertThat(param(commit, "partition_key")).isEqualTo("2026-11-23");
    assertThat(param(commit, "fence_token")).isEqualTo("1");
    assertThat(param(commit, "lock_name")).isEqualTo("grading/2026-11-23");
    assertThat(preCommitChecks).hasValue(1);
    assertThat(server.rows("ds", "grading")).hasSize(2);
  }

  private static String shortPath(String path) {
    if (path.startsWith("/upload/")) {
      return "upload";
    }
    int i = path.indexOf("/tables");
    if (i >= 0) {
      return path.substring(i + 1);
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  void concurrentUpdateIsRetriedWithJitteredBackoffAndTheCheckRunsBeforeEveryAttempt() {
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(400, FakeBigQueryServer.transactionAbortedError());
    RetryPolicy policy = TestPolicies.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1));

    WriteResult result = replaceOneRow(policy, countingCheck);

    assertThat(result.attempts()).isEqualTo(3);
    assertThat(server.requests("POST", "/queries")).hasSize(3);
    assertThat(preCommitChecks).hasValue(3);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    assertThat(server.requests("DELETE", "/tables/grading_staging_")).hasSize(1);
  }

  @Test
  void retriesAreBoundedAndEndInConcurrentUpdateException() {
    for (int i = 0; i < 3; i++) {
      server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    }
    RetryPolicy policy = TestPolicies.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1));

    assertThatThrownBy(() -> replaceOneRow(policy, countingCheck))
        .isInstanceOfSatisfying(
            ConcurrentUpdateException.class, e -> assertThat(e.attempts()).isEqualTo(3));
    assertThat(server.requests("POST", "/queries")).hasSize(3);
    assertThat(sleeps).hasSize(2);
    assertThat(server.requests("DELETE", "/tables/grading_staging_")).hasSize(1);
  }

  @Test
  void nonRetryableErrorSurfacesAtOnce() {
    server.answerQuery(
        400,
        FakeBigQueryServer.error(
            400,
            "Syntax error: Unexpected keyword WHEN at [4:1]",
            "invalidQuery",
            "INVALID_ARGUMENT"));

    assertThatThrownBy(() -> replaceOneRow(BigQueryWriter.DEFAULT_RETRY_POLICY, countingCheck))
        .isInstanceOf(BigQueryWriteException.class)
        .isNotInstanceOf(ConcurrentUpdateException.class)
        .hasMessageContaining("Syntax error");
    assertThat(server.requests("POST", "/queries")).hasSize(1);
    assertThat(sleeps).isEmpty();
    assertThat(server.requests("DELETE", "/tables/grading_staging_")).hasSize(1);
  }

  @Test
  void lostLockStopsTheWriteBeforeTheMergeIsSent() {
    Fence lost = Fence.of(new CountingHandle(LockKey.of("grading", DAY), 1).lose());

    assertThatThrownBy(() -> replaceOneRow(BigQueryWriter.DEFAULT_RETRY_POLICY, lost))
        .isInstanceOf(LockLostException.class);
    assertThat(server.requests("POST", "/queries")).isEmpty();
    assertThat(server.requests("DELETE", "/tables/grading_staging_")).hasSize(1);
  }

  @Test
  void rowOutsideThePartitionIsRejectedBeforeAnyRequest() {
    Map<String, Object> stray = row("g1", "a", 1, 10);
    stray.put("game_date", DAY.plusDays(1));

    assertThatThrownBy(
            () ->
                writer(BigQueryWriter.DEFAULT_RETRY_POLICY)
                    .replacePartition(
                        "ds.grading",
                        new PartitionFilter("game_date", DAY),
                        List.of(row("g1", "b", 1, 1), stray),
                        countingCheck))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void upsertDedupsBeforeStagingAndMergesByKey() {
    List<Map<String, Object>> rows =
        List.of(row("g1", "a", 1, 10), row("g1", "a", 1, 11), row("g1", "b", 1, 12));

    WriteResult result =
        writer(BigQueryWriter.DEFAULT_RETRY_POLICY)
            .upsert(
                "ds.grading",
                List.of("game_id", "player", "system_id"),
                Optional.of("points"),
                Optional.of(new PartitionFilter("game_date", DAY)),
                rows,
                countingCheck);

    assertThat(result.rowsInserted()).isEqualTo(2);
    assertThat(result.duplicatesRemoved()).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(1);
    String data = server.uploadedData().get(0);
    assertThat(data.lines()).hasSize(2);
    assertThat(data).contains("\"points\":11").doesNotContain("\"points\":10");
    String sql = onlyQueryRequest().get("query").getAsString();
    assertThat(sql)
        .contains("MERGE `ds`.`grading` AS target\nUSING `ds`.`grading_staging_")
        .contains(
            "ON target.`game_date` = @partition_value AND target.`game_id` IS NOT DISTINCT FROM"
                + " source.`game_id`")
        .contains("THEN UPDATE SET `game_date` = source.`game_date`, `points` = source.`points`");
  }

  @Test
  void cleanupPlansWithOneCheckThenSnapshotsThenRunsOneMerge() {
    server.answerQuery(200, REPORT_ANSWER);
    server.answerQuery(200, FakeBigQueryServer.dmlDone(3));
    BigQueryWriter writer = writer(BigQueryWriter.DEFAULT_RETRY_POLICY);

    CleanupPlan plan = writer.planCleanup(check(), Keep.latestBy("points"));
    assertThat(plan.rowsToRemove()).isEqualTo(3);
    assertThat(server.requests("POST", "/queries")).hasSize(1);

    WriteResult result = writer.cleanup(plan, Backup.SNAPSHOT, countingCheck);

    assertThat(result.jobIds()).startsWith("job_dml");
    JsonObject copy =
        json(server.requests("POST", "/jobs").get(0).body())
            .getAsJsonObject("configuration")
            .getAsJsonObject("copy");
    assertThat(copy.get("operationType").getAsString()).isEqualTo("SNAPSHOT");
    assertThat(copy.getAsJsonObject("destinationTable").get("tableId").getAsString())
        .startsWith("grading_backup_");
    List<FakeBigQueryServer.Request> queries = server.requests("POST", "/queries");
    assertThat(queries).hasSize(2);
    assertThat(json(queries.get(1).body()).get("query").getAsString())
        .isEqualTo(
            Sql.commitScript(
                TableRef.parse("ds.grading"),
                Optional.of(TableRef.parse("ds.grading__fence")),
                Optional.empty(),
                BigQueryWriter.cleanupSql(check(), Keep.latestBy("points"))));
    assertThat(preCommitChecks).hasValue(1);
  }

  @Test
  void failedBackupSaysWhatFailedOnceAndRunsNoMerge() {
    server.answerQuery(200, REPORT_ANSWER);
    server.failCopyJobs("Already Exists: Table test-project:ds.grading_backup");
    BigQueryWriter writer = writer(BigQueryWriter.DEFAULT_RETRY_POLICY);
    CleanupPlan plan = writer.planCleanup(check(), Keep.latestBy("points"));

    assertThatThrownBy(() -> writer.cleanup(plan, Backup.SNAPSHOT, countingCheck))
        .isInstanceOf(BigQueryWriteException.class)
        .hasMessageStartingWith("SNAPSHOT of ds.grading to ds.grading_backup_")
        .hasMessageEndingWith(" failed: Already Exists: Table test-project:ds.grading_backup")
        .satisfies(
            e -> assertThat(Objects.requireNonNull(e.getMessage()).split("failed", -1)).hasSize(2));
    assertThat(server.requests("POST", "/queries")).hasSize(1);
    assertThat(preCommitChecks).hasValue(0);
  }

  @Test
  void cleanupThatFailsAfterItsBackupNamesTheBackupInTheException() {
    server.answerQuery(200, REPORT_ANSWER);
    server.answerQuery(
        400,
        FakeBigQueryServer.error(
            400,
            "Partitioning by expressions of type FLOAT64 is not allowed at [5:45]",
            "invalidQuery",
            "INVALID_ARGUMENT"));
    BigQueryWriter writer =
        BigQueryWriter.builder(bigquery)
            .sleeper(sleeps::add)
            .clock(Clock.fixed(Instant.parse("2026-11-23T06:15:00Z"), ZoneOffset.UTC))
            .build();
    CleanupPlan plan = writer.planCleanup(check(), Keep.latestBy("points"));

    assertThatThrownBy(() -> writer.cleanup(plan, Backup.SNAPSHOT, countingCheck))
        .isInstanceOfSatisfying(
            CleanupFailedException.class,
            e -> {
              assertThat(e.backup()).isEqualTo("ds.grading_backup_20261123_061500");
              assertThat(e.getCause()).isInstanceOf(BigQueryWriteException.class);
            })
        .hasMessageContaining("after backing it up to ds.grading_backup_20261123_061500")
        .hasMessageContaining("Partitioning by expressions of type FLOAT64 is not allowed");
    assertThat(server.requests("POST", "/jobs")).hasSize(1);
    assertThat(server.requests("POST", "/queries")).hasSize(2);
  }

  @Test
  void cleanupWhoseRetriesRunOutAfterItsBackupNamesTheBackup() {
    server.answerQuery(200, REPORT_ANSWER);
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    BigQueryWriter writer =
        writer(TestPolicies.fullJitter(2, Duration.ofMillis(100), Duration.ofSeconds(1)));
    CleanupPlan plan = writer.planCleanup(check(), Keep.latestBy("points"));

    assertThatThrownBy(() -> writer.cleanup(plan, Backup.COPY, countingCheck))
        .isInstanceOfSatisfying(
            CleanupFailedException.class,
            e -> {
              assertThat(e.backup()).startsWith("ds.grading_backup_");
              assertThat(e.getMessage()).contains(e.backup());
              assertThat(e.getCause()).isInstanceOf(ConcurrentUpdateException.class);
            });
    assertThat(preCommitChecks).hasValue(2);
  }

  @Test
  void cleanupWithoutBackupFailsWithTheOriginalException() {
    server.answerQuery(200, REPORT_ANSWER);
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));
    BigQueryWriter writer =
        writer(TestPolicies.fullJitter(1, Duration.ofMillis(100), Duration.ofSeconds(1)));
    CleanupPlan plan = writer.planCleanup(check(), Keep.latestBy("points"));

    assertThatThrownBy(() -> writer.cleanup(plan, Backup.NONE, countingCheck))
        .isInstanceOf(ConcurrentUpdateException.class);
    assertThat(server.requests("POST", "/jobs")).isEmpty();
  }

  static Stream<String> hostile() {
    return IdentifierTest.hostileNames();
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void hostileIdentifiersAreRejectedBeforeAnyRequest(String name) {
    BigQueryDuplicateValidator validator = BigQueryDuplicateValidator.create(bigquery);
    BigQueryWriter writer = writer(BigQueryWriter.DEFAULT_RETRY_POLICY);
    List<Map<String, Object>> rows = List.of(row("g1", "a", 1, 1));

    assertThatThrownBy(() -> validator.validate(DuplicateCheck.of("ds." + name, List.of("id"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> validator.validate(DuplicateCheck.of("ds.t", List.of("id", name))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                validator.validate(DuplicateCheck.of("ds.t", List.of("id")).inPartition(name, DAY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    "ds.grading", new PartitionFilter(name, DAY), rows, countingCheck))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                writer.upsert(
                    "ds.grading",
                    List.of(name),
                    Optional.empty(),
                    Optional.empty(),
                    rows,
                    countingCheck))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.planCleanup(check(), Keep.latestBy(name)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    name + ".grading", new PartitionFilter("game_date", DAY), rows, countingCheck))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
    assertThat(preCommitChecks).hasValue(0);
  }
}
