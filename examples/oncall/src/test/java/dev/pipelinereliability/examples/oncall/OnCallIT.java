package dev.pipelinereliability.examples.oncall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.bigquery.BigQueryDuplicateValidator;
import dev.pipelinereliability.bigquery.BigQueryWriter;
import dev.pipelinereliability.bigquery.FakeBigQueryServer;
import dev.pipelinereliability.bigquery.Keep;
import dev.pipelinereliability.bigquery.LoopbackBigQuery;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.firestore.lock.FirestoreDistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.testkit.emulator.PubSubEmulator;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, run as a separate process against the Cloud SDK Firestore and Pub/Sub emulators
 * (started here and stopped after the class), as an on-call engineer would run it.
 */
class OnCallIT {
  private static final PipelineFile PIPELINE = PipelineFile.example();
  private static final String PROJECT = PIPELINE.project();
  private static final String PHASE4_TOPIC = PIPELINE.phase("phase3").triggerTopic();

  private static FirestoreEmulator firestoreEmulator;
  private static PubSubEmulator pubsubEmulator;
  private static Firestore firestore;
  private static PubSubConnection pubsub;
  private static Subscriber subscriber;
  private static final List<PubsubMessage> triggers = new CopyOnWriteArrayList<>();

  @TempDir Path temp;

  @BeforeAll
  static void startEmulators() {
    firestoreEmulator =
        FirestoreEmulator.start(
            FirestoreEmulator.findCloudSdkJar()
                .orElseThrow(() -> new IllegalStateException("no Cloud SDK Firestore emulator")));
    pubsubEmulator = PubSubEmulator.start();
    firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(firestoreEmulator.hostPort())
            .build()
            .getService();
    pubsub = PubSubConnection.emulator(pubsubEmulator.hostPort(), PROJECT);
    pubsub.createTopicAndSubscription(PHASE4_TOPIC, "oncall-it-phase4");
    subscriber =
        pubsub.subscriber(
            "oncall-it-phase4",
            (message, reply) -> {
              triggers.add(message);
              reply.ack();
            });
    subscriber.startAsync().awaitRunning();
  }

  @AfterAll
  static void stopEmulators() throws Exception {
    if (subscriber != null) {
      subscriber.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
    }
    if (pubsub != null) {
      pubsub.close();
    }
    if (firestore != null) {
      firestore.close();
    }
    if (pubsubEmulator != null) {
      pubsubEmulator.close();
    }
    if (firestoreEmulator != null) {
      firestoreEmulator.close();
    }
  }

  @BeforeEach
  void clearFirestore() {
    firestoreEmulator.clear(PROJECT);
  }

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs the jar with both emulators, given as options. */
  private static Result oncall(String... args) throws Exception {
    List<String> all = new ArrayList<>();
    all.add("--firestore-emulator=" + firestoreEmulator.hostPort());
    all.add("--pubsub-emulator=" + pubsubEmulator.hostPort());
    all.add("--actor=oncall-it");
    all.addAll(List.of(args));
    return jar(Map.of(), all);
  }

  /** Runs the jar with exactly {@code args} and the extra environment {@code env}. */
  private static Result jar(Map<String, String> env, List<String> args) throws Exception {
    return jar(env, List.of(), args);
  }

  /**
   * Runs the jar with JVM options {@code jvm}, the extra environment {@code env} and {@code args}.
   */
  private static Result jar(Map<String, String> env, List<String> jvm, List<String> args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-jar");
    command.add(jarPath().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    // Whatever the test runner's environment says, the process sees only what the test gives.
    builder.environment().remove("FIRESTORE_EMULATOR_HOST");
    builder.environment().remove("PUBSUB_EMULATOR_HOST");
    builder.environment().remove("ONCALL_BIGQUERY_ENDPOINT");
    builder.environment().remove("ONCALL_PIPELINE");
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the jar did not finish within 120 s: " + args);
    }
    return new Result(process.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "unreadable: " + e;
          }
        });
  }

  private static Path jarPath() {
    Path jar = Path.of(System.getProperty("oncall.jar", "target/oncall.jar"));
    assertThat(jar).as("the jar built by mvn package").isRegularFile();
    return jar;
  }

  private static DocumentReference phase3(String date) {
    return firestore.collection("phase3_completion").document(date);
  }

  /** The seed orchestrator's drifted document: five processor maps, count 3, no _triggered. */
  private static void seedDrift(String date, int processors) throws Exception {
    Map<String, Object> doc = new HashMap<>();
    List<String> expected = new ArrayList<>(PIPELINE.phase("phase3").config().expected());
    for (String p : expected.subList(0, processors)) {
      Map<String, Object> field = new LinkedHashMap<>();
      field.put("completed_at", Timestamp.parseTimestamp(date + "T23:10:00Z"));
      field.put("correlation_id", "corr-" + p);
      field.put("status", "success");
      field.put("record_count", 348L);
      doc.put(p, field);
    }
    doc.put("_completed_count", 3L);
    doc.put("_last_update", Timestamp.parseTimestamp(date + "T23:10:05Z"));
    phase3(date).set(doc).get();
  }

  private static List<PubsubMessage> triggersFor(String id, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<PubsubMessage> found;
    do {
      found =
          triggers.stream().filter(m -> id.equals(m.getAttributesMap().get("trigger_id"))).toList();
      if (!found.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return found;
  }

  private static JsonObject json(Result r) {
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() throws Exception {
    Result help = jar(Map.of(), List.of("--help"));

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out())
        .contains("reconcile", "locks", "completion", "health")
        .contains("64  usage");
  }

  @Test
  void seedDriftIsReportedWithoutWritingFixedWithOneTriggerThenReportedClean() throws Exception {
    String date = "2026-02-03";
    seedDrift(date, 5);
    Timestamp seeded = phase3(date).get().get().getUpdateTime();
    List<String> scope = List.of("reconcile", "--phase", "phase3", "--from", date, "--to", date);

    Result report = oncall(scope.toArray(String[]::new));

    assertThat(report.code()).as(report.toString()).isEqualTo(OnCall.FINDINGS);
    assertThat(report.out()).contains("stored 3, derived 5 of 5").contains("never triggered");
    assertThat(report.err()).contains("no landed-row evidence");
    assertThat(phase3(date).get().get().getUpdateTime()).isEqualTo(seeded);

    List<String> fix = new ArrayList<>(scope);
    fix.addAll(List.of("--fix", "--reason", "INC-7: stuck at 3 of 5"));
    List<String> dryRun = new ArrayList<>(fix);
    dryRun.add("--dry-run");
    Result preview = oncall(dryRun.toArray(String[]::new));

    assertThat(preview.code()).as(preview.toString()).isEqualTo(OnCall.FINDINGS);
    assertThat(preview.out()).contains("dry run: nothing written").contains("would claim");
    assertThat(phase3(date).get().get().getUpdateTime()).isEqualTo(seeded);

    Result fixed = oncall(fix.toArray(String[]::new));

    assertThat(fixed.code()).as(fixed.toString()).isEqualTo(OnCall.OK);
    List<PubsubMessage> published = triggersFor("phase3/" + date + "/1", Duration.ofSeconds(20));
    assertThat(published).hasSize(1);
    assertThat(published.get(0).getAttributesMap())
        .containsEntry("reason", "INC-7: stuck at 3 of 5")
        .containsEntry("game_date", date);
    DocumentSnapshot repaired = phase3(date).get().get();
    assertThat(repaired.getLong("_completed_count")).isEqualTo(5L);
    assertThat(repaired.getBoolean("_triggered")).isTrue();
    assertThat(repaired.get("_audit").toString())
        .contains("oncall-it")
        .contains("INC-7: stuck at 3 of 5");

    Result again = oncall(fix.toArray(String[]::new));
    Result clean = oncall(scope.toArray(String[]::new));

    assertThat(again.code()).as(again.toString()).isEqualTo(OnCall.OK);
    assertThat(clean.code()).as(clean.toString()).isEqualTo(OnCall.OK);
    assertThat(phase3(date).get().get().getUpdateTime()).isEqualTo(repaired.getUpdateTime());
    assertThat(
            triggers.stream()
                .filter(
                    m ->
                        Objects.requireNonNull(m.getAttributesMap().get("trigger_id"), "trigger_id")
                            .startsWith("phase3/" + date)))
        .as("still exactly one trigger after the second run")
        .hasSize(1);
  }

  @Test
  void locksAreListedAndAStuckOneIsReleasedWithTheReasonItsHolderSees() throws Exception {
    LockHandle stuck =
        FirestoreDistributedLock.create(firestore)
            .tryAcquire(LockKey.of("grading", "2026-02-03"))
            .orElseThrow();

    Result list = oncall("locks", "list", "--type", "grading", "--json");
    Result preview =
        oncall("locks", "release", "grading", "2026-02-03", "--reason", "pod evicted", "--dry-run");

    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(JsonParser.parseString(list.out()).getAsJsonArray().get(0).getAsJsonObject())
        .satisfies(
            l -> {
              assertThat(l.get("key").getAsString()).isEqualTo("2026-02-03");
              assertThat(l.get("owner").getAsString()).isEqualTo(stuck.ownerId());
              assertThat(l.get("token").getAsLong()).isEqualTo(stuck.fencingToken());
            });
    assertThat(preview.code()).as(preview.toString()).isZero();
    assertThat(preview.out()).contains("would release").contains(stuck.ownerId());
    stuck.checkValid();

    Result release = oncall("locks", "release", "grading", "2026-02-03", "--reason", "pod evicted");
    Result twice = oncall("locks", "release", "grading", "2026-02-03", "--reason", "pod evicted");

    assertThat(release.code()).as(release.toString()).isZero();
    assertThatThrownBy(stuck::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("pod evicted (by oncall-it)");
    assertThat(twice.code()).as(twice.toString()).isEqualTo(OnCall.FINDINGS);
    assertThat(oncall("locks", "list").out()).contains("no locks held");
  }

  @Test
  void completionOverridesAreAuditedAndTheirDryRunsWriteNothing() throws Exception {
    String date = "2026-02-05";
    seedDrift(date, 4);
    String last = "upcoming_team_context";

    Result show = oncall("completion", "show", "phase3", date);
    Result preview =
        oncall("completion", "mark-complete", "phase3", date, last, "--reason", "r", "--dry-run");
    Timestamp before = phase3(date).get().get().getUpdateTime();

    assertThat(show.code()).as(show.toString()).isZero();
    assertThat(show.out()).contains("4 of 5 complete; stored count 3 (drifted)").contains(last);
    assertThat(preview.out()).contains("would mark " + last).contains("claim and publish");
    assertThat(before).isEqualTo(phase3(date).get().get().getUpdateTime());

    Result marked =
        oncall("completion", "mark-complete", "phase3", date, last, "--reason", "lost message");
    Result again =
        oncall("completion", "mark-complete", "phase3", date, last, "--reason", "lost message");

    assertThat(marked.code()).as(marked.toString()).isZero();
    assertThat(marked.out()).contains("published trigger phase3/" + date + "/1");
    assertThat(triggersFor("phase3/" + date + "/1", Duration.ofSeconds(20))).hasSize(1);
    assertThat(again.code()).as(again.toString()).isEqualTo(OnCall.FINDINGS);

    Result reset = oncall("completion", "reset-trigger", "phase3", date, "--reason", "reprocessed");
    Result forced = oncall("completion", "force-trigger", "phase3", date, "--reason", "rerun p4");
    JsonObject state = json(oncall("completion", "show", "phase3", date, "--json"));

    assertThat(reset.code()).as(reset.toString()).isZero();
    assertThat(forced.code()).as(forced.toString()).isZero();
    assertThat(triggersFor("phase3/" + date + "/2", Duration.ofSeconds(20))).hasSize(1);
    assertThat(state.get("completed_count").getAsInt()).isEqualTo(5);
    assertThat(state.getAsJsonObject("trigger").get("id").getAsString())
        .isEqualTo("phase3/" + date + "/2");
    assertThat(state.getAsJsonArray("audit").toString())
        .contains("\"action\":\"mark_complete\"", "\"reason\":\"lost message\"")
        .contains("\"action\":\"reset_trigger\"", "\"reason\":\"reprocessed\"")
        .contains("\"action\":\"force_trigger\"", "\"reason\":\"rerun p4\"")
        .contains("\"actor\":\"oncall-it\"");
    assertThat(oncall("completion", "force-trigger", "phase3", date, "--reason", "x").code())
        .isEqualTo(OnCall.FINDINGS);
  }

  @Test
  void healthExitsOneOnDriftZeroOnceFixedAndTwoWhenTheStoreIsUnreachable() throws Exception {
    String date = "2026-02-07";
    seedDrift(date, 5);
    String[] health = {"health", "--date", date, "--days", "1", "--only", "locks,completion"};

    Result drifted = oncall(health);
    oncall("reconcile", "--from", date, "--to", date, "--fix", "--reason", "health test");
    Result clean = oncall(health);
    List<String> down = new ArrayList<>(List.of("--firestore-emulator=127.0.0.1:" + freePort()));
    down.addAll(List.of(health));
    Result unreachable = jar(Map.of(), down);

    assertThat(drifted.code()).as(drifted.toString()).isEqualTo(OnCall.FINDINGS);
    assertThat(drifted.out()).contains("completion:phase3,phase4:" + date).contains("FAIL");
    assertThat(clean.code()).as(clean.toString()).isEqualTo(OnCall.OK);
    assertThat(unreachable.code()).as(unreachable.toString()).isEqualTo(OnCall.COULD_NOT_CHECK);
    assertThat(unreachable.out()).contains("ERROR");
  }

  @Test
  void aLocalRunRefusesEveryStoreItHasNoLocalAddressFor() throws Exception {
    String date = "2026-02-09";
    seedDrift(date, 5);
    Timestamp seeded = phase3(date).get().get().getUpdateTime();

    Result noPubSub =
        jar(
            Map.of("FIRESTORE_EMULATOR_HOST", firestoreEmulator.hostPort()),
            List.of("reconcile", "--from", date, "--to", date, "--fix", "--reason", "x"));
    Result noBigQuery = oncall("health", "--date", date);
    Result production =
        jar(
            Map.of(),
            List.of("--firestore-emulator=firestore.googleapis.com:443", "locks", "list"));

    assertThat(noPubSub.code()).as(noPubSub.toString()).isEqualTo(OnCall.USAGE);
    assertThat(noPubSub.err()).contains("will not reach production Pub/Sub");
    assertThat(phase3(date).get().get().getUpdateTime()).isEqualTo(seeded);
    assertThat(noBigQuery.code()).as(noBigQuery.toString()).isEqualTo(OnCall.USAGE);
    assertThat(noBigQuery.err()).contains("--bigquery-endpoint");
    assertThat(production.code()).as(production.toString()).isEqualTo(OnCall.USAGE);
    assertThat(production.err()).contains("is production");
  }

  @Test
  void theFirestoreEmulatorFromTheEnvironmentIsTheOnlyFirestoreContacted() throws Exception {
    int closed = freePort();

    Result viaEnv =
        jar(
            Map.of("FIRESTORE_EMULATOR_HOST", firestoreEmulator.hostPort()),
            List.of("completion", "show", "phase3", "2026-02-03"));
    Result refused =
        jar(Map.of("FIRESTORE_EMULATOR_HOST", "127.0.0.1:" + closed), List.of("locks", "list"));

    assertThat(viaEnv.code()).as(viaEnv.toString()).isZero();
    assertThat(viaEnv.out()).contains("phase3/2026-02-03: 0 of 5 complete");
    // A client that fell back to production would name firestore.googleapis.com or credentials.
    assertThat(refused.code()).as(refused.toString()).isEqualTo(OnCall.COULD_NOT_CHECK);
    assertThat(refused.err()).contains("127.0.0.1:" + closed).doesNotContain("googleapis");
  }

  @Test
  void aMalformedPipelineFileExits64NamingTheLineAndTheField() throws Exception {
    Path file = temp.resolve("pipeline.yaml");
    String example;
    try (InputStream in =
        PipelineFile.class.getClassLoader().getResourceAsStream("pipeline.yaml")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String broken = example.replace("phase4: {max_hold: 20m}", "phase4: {max_hold: twenty}");
    assertThat(broken).isNotEqualTo(example);
    Files.writeString(file, broken);
    int line = 1 + (int) example.lines().takeWhile(l -> !l.contains("phase4: {max_hold")).count();

    Result r = oncall("--pipeline", file.toString(), "locks", "list");

    assertThat(r.code()).as(r.toString()).isEqualTo(OnCall.USAGE);
    assertThat(r.err())
        .contains(file + ":" + line + ": locks.phase4.max_hold: ")
        .contains("'twenty'");
  }

  // ---- BigQuery-backed commands, against reliability-bigquery's loopback fake BigQuery server.

  private static final String GRADING_DAY = "2026-01-17";

  /** The validator's one-row answer: counts and samples of the grading key. */
  private static String duplicateAnswer(
      long total, long duplicateKeys, long excess, String... samples) {
    List<DuplicateSample> sampled = new ArrayList<>();
    for (String sample : samples) {
      List<String> values = List.of(sample.split(",", -1));
      // line_value is FLOAT in the table, so the answer types it FLOAT, as BigQuery would.
      List<Object> key = new ArrayList<>(values.subList(0, 3));
      key.add(Double.parseDouble(values.get(3)));
      sampled.add(new DuplicateSample(key, Long.parseLong(values.get(4))));
    }
    DuplicateCheck grading =
        DuplicateCheck.of(
            "test-project.nba_predictions.prediction_accuracy",
            List.of("player_lookup", "game_id", "system_id", "line_value"));
    return FakeBigQueryServer.duplicateCheckResult(
        new DuplicateReport(grading, total, duplicateKeys, excess, sampled));
  }

  private static Result bigquery(LoopbackBigQuery bq, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--bigquery-endpoint=" + bq.baseUrl()));
    all.add("--project=test-project");
    all.add("--actor=oncall-it");
    all.addAll(List.of(args));
    return jar(Map.of(), all);
  }

  @Test
  void duplicatesCheckAndPlanReadOnceAndChangeNothing() throws Exception {
    try (LoopbackBigQuery bq = new LoopbackBigQuery()) {
      bq.answerQuery(200, duplicateAnswer(497_304, 2, 3, "lebronjames,0022400123,7,25.5,3"));
      bq.answerQuery(200, duplicateAnswer(497_304, 2, 3, "lebronjames,0022400123,7,25.5,3"));

      Result check =
          bigquery(
              bq, "duplicates", "check", "--table", "prediction_accuracy", "--date", GRADING_DAY);
      Result plan =
          bigquery(
              bq,
              "duplicates",
              "plan",
              "--table",
              "prediction_accuracy",
              "--date",
              GRADING_DAY,
              "--json");

      assertThat(check.code()).as(check.toString()).isEqualTo(OnCall.FINDINGS);
      assertThat(check.out())
          .contains("test-project.nba_predictions.prediction_accuracy game_date=" + GRADING_DAY)
          .contains("497304 rows, 497301 distinct keys, 2 duplicated keys, 3 excess rows")
          .contains("lebronjames")
          .contains("25.5"); // the FLOAT key column, decoded by the validator
      assertThat(plan.code()).as(plan.toString()).isEqualTo(OnCall.FINDINGS);
      JsonObject planned = json(plan);
      DuplicateCheck graded =
          DuplicateCheck.of(
                  "test-project.nba_predictions.prediction_accuracy",
                  List.of("player_lookup", "game_id", "system_id", "line_value"))
              .inPartition("game_date", java.time.LocalDate.parse(GRADING_DAY));
      assertThat(planned.get("sql").getAsString())
          .isEqualTo(BigQueryWriter.cleanupSql(graded, Keep.latestBy("graded_at")));
      assertThat(planned.get("rows_to_remove").getAsLong()).isEqualTo(3);
      assertThat(bq.queries()).hasSize(2);
      JsonObject sent = JsonParser.parseString(bq.queries().get(0)).getAsJsonObject();
      assertThat(sent.get("query").getAsString()).isEqualTo(BigQueryDuplicateValidator.sql(graded));
      assertThat(sent.getAsJsonArray("queryParameters").toString())
          .contains("\"name\":\"partition_value\"")
          .contains(GRADING_DAY);
      assertThat(bq.insertedJobs()).as("no backup, no statement").isEmpty();
    }
  }

  @Test
  void duplicatesCleanupBacksUpThenRunsOneMergeAndItsDryRunWritesNothing() throws Exception {
    try (LoopbackBigQuery bq = new LoopbackBigQuery()) {
      String dirty = duplicateAnswer(10, 1, 1, "lebronjames,0022400123,7,25.5,2");
      bq.answerQuery(200, dirty);
      bq.answerQuery(200, dirty);
      bq.answerQuery(200, LoopbackBigQuery.mergeDone(9, 10));
      String[] cleanup = {
        "duplicates",
        "cleanup",
        "--table",
        "prediction_accuracy",
        "--date",
        GRADING_DAY,
        "--keep",
        "first:graded_at",
        "--backup",
        "copy",
        "--reason",
        "INC-190k grading duplicates"
      };
      List<String> dryRun = new ArrayList<>(List.of(cleanup));
      dryRun.add("--dry-run");

      Result preview = bigquery(bq, dryRun.toArray(String[]::new));

      assertThat(preview.code()).as(preview.toString()).isZero();
      assertThat(preview.out())
          .contains("dry run: would back the table up (copy) and remove 1 rows");
      assertThat(bq.queries()).hasSize(1);
      assertThat(bq.insertedJobs()).isEmpty();

      Result cleaned = bigquery(bq, cleanup);

      assertThat(cleaned.code()).as(cleaned.toString()).isZero();
      assertThat(cleaned.out())
          // The fake answers the MERGE but keeps no job for jobs.get, so no DML statistics.
          .contains("planned 1 rows) in one MERGE (1 attempt(s), jobs [job_cleanup])")
          .contains("oncall-it: INC-190k grading duplicates");
      assertThat(bq.queries()).hasSize(3);
      assertThat(bq.queries().get(2)).contains("MERGE").contains("graded_at");
      assertThat(bq.insertedJobs())
          .singleElement()
          .asString()
          .contains("prediction_accuracy_backup_")
          .contains("\"copy\"");
    }
  }

  @Test
  void healthReadsEverySourceAndTableOfThePipelineFileFromBigQuery() throws Exception {
    try (LoopbackBigQuery bq = new LoopbackBigQuery()) {
      // The gamebook for D arrived at 14:45 New York on D+1: 8 h 45 min after 06:00, an error.
      String late = "2026-01-18T19:45:00Z";
      bq.answerQuery(200, arrivalAnswer(late));
      int tables = PIPELINE.tables().size();
      for (int i = 0; i < tables; i++) {
        bq.answerQuery(200, duplicateAnswer(348, 0, 0));
      }
      bq.answerQuery(
          403,
          LoopbackBigQuery.error(403, "Access Denied: x", "accessDenied", "PERMISSION_DENIED"));
      for (int i = 0; i < tables; i++) {
        bq.answerQuery(200, duplicateAnswer(348, 0, 0));
      }
      String[] health = {"health", "--date", GRADING_DAY, "--only", "freshness,duplicates"};

      Result lateSource = bigquery(bq, health);
      Result denied = bigquery(bq, health);

      assertThat(lateSource.code()).as(lateSource.toString()).isEqualTo(OnCall.FINDINGS);
      assertThat(lateSource.out())
          .contains("freshness:nbac_gamebook_player_stats")
          .contains("duplicates:test-project.nba_predictions.prediction_accuracy");
      assertThat(bq.queries().get(0))
          .contains("nbac_gamebook_player_stats")
          .contains("processed_at");
      assertThat(denied.code()).as(denied.toString()).isEqualTo(OnCall.COULD_NOT_CHECK);
      assertThat(denied.out()).contains("ERROR").contains("Access Denied");
      assertThat(bq.queries()).hasSize(2 * (1 + tables));
    }
  }

  private static String arrivalAnswer(String instant) {
    long micros =
        java.time.temporal.ChronoUnit.MICROS.between(
            java.time.Instant.EPOCH, java.time.Instant.parse(instant));
    return """
        {"kind":"bigquery#queryResponse",
         "jobReference":{"projectId":"test-project","jobId":"job_arrival","location":"US"},
         "schema":{"fields":[{"name":"latest_arrival","type":"TIMESTAMP","mode":"NULLABLE"}]},
         "rows":[{"f":[{"v":"%s"}]}],"totalRows":"1","totalBytesProcessed":"0",
         "jobComplete":true,"cacheHit":false}
        """
        .formatted(new java.math.BigDecimal(micros).movePointLeft(6).toPlainString());
  }

  /**
   * Every connection the jar makes past loopback goes to a recording proxy instead: the JVM's
   * http(s) proxy settings are what the HTTP clients (BigQuery, credentials, metadata server) and
   * gRPC's proxy detection (Firestore, Pub/Sub) consult for every non-loopback address.
   */
  private static final class RecordingProxy implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RecordingProxy() throws IOException {
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (java.net.Socket client = socket.accept()) {
                    client.setSoTimeout(2000);
                    String first =
                        new java.io.BufferedReader(
                                new java.io.InputStreamReader(
                                    client.getInputStream(), StandardCharsets.ISO_8859_1))
                            .readLine();
                    requests.add(String.valueOf(first));
                  } catch (IOException e) {
                    // closed, or a client that sent nothing: the connection is what counts
                    if (!socket.isClosed()) {
                      requests.add("connection without a request line");
                    }
                  }
                }
              },
              "recording-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    List<String> jvmOptions() {
      String port = Integer.toString(socket.getLocalPort());
      return List.of(
          "-Dhttp.proxyHost=127.0.0.1",
          "-Dhttp.proxyPort=" + port,
          "-Dhttps.proxyHost=127.0.0.1",
          "-Dhttps.proxyPort=" + port,
          "-Dhttp.nonProxyHosts=localhost|127.0.0.1");
    }

    List<String> requests() {
      return List.copyOf(requests);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aLocalRunConnectsToNothingButItsEmulatorsWhileAProductionRunWould() throws Exception {
    String date = "2026-02-11";
    seedDrift(date, 5);
    List<String> local =
        List.of(
            "--firestore-emulator=" + firestoreEmulator.hostPort(),
            "--pubsub-emulator=" + pubsubEmulator.hostPort(),
            "--actor=oncall-it");
    try (RecordingProxy proxy = new RecordingProxy();
        LoopbackBigQuery bq = new LoopbackBigQuery()) {
      bq.answerQuery(200, duplicateAnswer(10, 0, 0));
      List<List<String>> commands =
          List.of(
              List.of("reconcile", "--from", date, "--to", date, "--fix", "--reason", "guarded"),
              List.of("completion", "show", "phase3", date),
              List.of("locks", "list"),
              List.of("health", "--date", date, "--only", "locks,completion"),
              List.of(
                  "--bigquery-endpoint=" + bq.baseUrl(),
                  "duplicates",
                  "check",
                  "--table",
                  "prediction_accuracy",
                  "--date",
                  date));
      for (List<String> command : commands) {
        List<String> args = new ArrayList<>(local);
        args.addAll(command);
        Result r = jar(Map.of(), proxy.jvmOptions(), args);
        assertThat(r.code()).as(command + "\n" + r).isIn(OnCall.OK, OnCall.FINDINGS);
      }
      assertThat(triggersFor("phase3/" + date + "/1", Duration.ofSeconds(20))).hasSize(1);

      assertThat(proxy.requests()).as("connections past loopback in local runs").isEmpty();

      // The control: the same guard sees a production run's first connection.
      Result production =
          jar(
              Map.of("GOOGLE_APPLICATION_CREDENTIALS", "", "HOME", temp.toString()),
              proxy.jvmOptions(),
              List.of("locks", "list"));
      assertThat(production.code()).as(production.toString()).isEqualTo(OnCall.COULD_NOT_CHECK);
      assertThat(proxy.requests()).as("a production run is seen by the guard").isNotEmpty();
    }
  }

  private static String landedAnswer(String date, long rows) {
    return """
        {"kind":"bigquery#queryResponse",
         "schema":{"fields":[{"name":"landed_date","type":"DATE","mode":"NULLABLE"},
                             {"name":"row_count","type":"INTEGER","mode":"NULLABLE"}]},
         "jobReference":{"projectId":"test-project","jobId":"job_landed","location":"US"},
         "totalRows":"1","rows":[{"f":[{"v":"%s"},{"v":"%d"}]}],
         "totalBytesProcessed":"4096","jobComplete":true,"cacheHit":false}
        """
        .formatted(date, rows);
  }

  @Test
  void reconcileFindsALostCompletionFromTheRowsThatLandedInBigQueryAndMarksIt() throws Exception {
    String date = "2026-02-13";
    seedDrift(date, 4); // upcoming_team_context's message was lost; its rows landed
    int outputs = PIPELINE.phase("phase3").outputTables().size();
    try (LoopbackBigQuery bq = new LoopbackBigQuery()) {
      for (int run = 0; run < 2; run++) {
        for (int i = 0; i < outputs; i++) {
          bq.answerQuery(200, landedAnswer(date, 348));
        }
      }
      List<String> scope =
          List.of(
              "--bigquery-endpoint=" + bq.baseUrl(),
              "reconcile",
              "--phase",
              "phase3",
              "--from",
              date,
              "--to",
              date);
      List<String> fix = new ArrayList<>(scope);
      fix.addAll(List.of("--fix", "--reason", "INC-9: lost completion message"));

      Result report = oncall(scope.toArray(String[]::new));
      Result fixed = oncall(fix.toArray(String[]::new));

      assertThat(report.code()).as(report.toString()).isEqualTo(OnCall.FINDINGS);
      assertThat(report.out())
          .contains("data_without_completion")
          .contains(
              "348 rows landed in nba-props-platform.nba_analytics.upcoming_team_game_context");
      assertThat(report.err()).doesNotContain("no landed-row evidence");
      assertThat(fixed.code()).as(fixed.toString()).isEqualTo(OnCall.OK);
      assertThat(fixed.out()).contains("marked complete");
      assertThat(triggersFor("phase3/" + date + "/1", Duration.ofSeconds(20))).hasSize(1);
      assertThat(bq.queries()).hasSize(2 * outputs);
      // One query per output table (in no promised order), each with the date range bound.
      List<String> sql =
          bq.queries().stream()
              .map(q -> JsonParser.parseString(q).getAsJsonObject().get("query").getAsString())
              .toList();
      for (String table : PIPELINE.phase("phase3").outputTables().values()) {
        String id = "`nba-props-platform`.`nba_analytics`.`" + table + "`";
        assertThat(sql).as(id).filteredOn(q -> q.contains(id)).hasSize(2);
      }
      assertThat(sql).allSatisfy(q -> assertThat(q).contains("BETWEEN @from_date AND @to_date"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
