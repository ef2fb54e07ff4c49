package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.BigQuery;
import com.google.gson.JsonParser;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fence and the partial-data guard, end to end: the real google-cloud-bigquery client sends the
 * commit script to {@link FakeBigQueryServer}, whose engine keeps the fence table and the rows and
 * executes the script's checks, so these tests fail if the script's logic (not only its text) is
 * wrong.
 */
class FencedWriteTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final PartitionFilter PARTITION = new PartitionFilter("game_date", DAY);
  private static final LockKey KEY = LockKey.of("grading", DAY);
  private static final String FIELDS =
      "[{\"name\":\"game_date\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"player\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"points\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]";

  private FakeBigQueryServer server;
  private BigQuery bigquery;
  private final List<Duration> sleeps = new ArrayList<>();
  private int seed = 7;

  @BeforeEach
  void start() throws Exception {
    server = new FakeBigQueryServer();
    server.table("ds", "grading", FIELDS);
    server.table("ds", "odds", FIELDS);
    bigquery = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BigQueryWriter.Builder writerBuilder() {
    return BigQueryWriter.builder(bigquery)
        .retryPolicy(TestPolicies.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1)))
        .sleeper(sleeps::add)
        // A seed per writer: two writers drawing the same staging-table name would share it.
        .random(new SplittableRandom(seed++));
  }

  private BigQueryWriter writer() {
    return writerBuilder().build();
  }

  private static List<Map<String, Object>> rows(String by, int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> r = new HashMap<>();
      r.put("game_date", DAY);
      r.put("player", by + i);
      r.put("points", (long) i);
      rows.add(r);
    }
    return rows;
  }

  private List<String> playersInPartition(String table) {
    return server.rows("ds", table).stream()
        .filter(r -> DAY.toString().equals(r.get("game_date")))
        .map(r -> r.get("player"))
        .sorted()
        .toList();
  }

  private List<Map<String, String>> fenceRows(String table) {
    return server.rows("ds", table + "__fence");
  }

  @Test
  void stalledHolderIsRefusedAfterTheNextHolderCommitsAndThePartitionKeepsItsRows() {
    FakeClock clock = FakeClock.create();
    InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
    LockOptions options = LockOptions.builder().leaseDuration(Duration.ofSeconds(3)).build();
    BigQueryWriter writer = writer();
    LockHandle a = locks.acquire(KEY, options);
    List<String> story = new ArrayList<>();
    // A passes its lock check, then stalls (a GC pause, a throttled CPU) past its 3 s lease;
    // meanwhile B takes the lock and replaces the partition.
    LockHandle aStallingAfterItsCheck =
        new DelegatingHandle(a) {
          @Override
          public void checkValid() {
            a.checkValid();
            story.add("A checked its lock (token " + a.fencingToken() + ")");
            clock.advance(Duration.ofSeconds(4));
            try (LockHandle b = locks.acquire(KEY, options)) {
              writer.replacePartition("ds.grading", PARTITION, rows("b", 3), Fence.of(b));
              story.add("B committed (token " + b.fencingToken() + ")");
            }
          }
        };

    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    "ds.grading", PARTITION, rows("a", 3), Fence.of(aStallingAfterItsCheck)))
        .isInstanceOfSatisfying(
            StaleFenceException.class,
            e -> {
              assertThat(e.table()).isEqualTo("ds.grading");
              assertThat(e.partition()).isEqualTo("game_date = 2026-11-23");
              assertThat(e.token()).isEqualTo(1);
              assertThat(e.storedToken()).isEqualTo(2);
              assertThat(e.getMessage())
                  .contains("ds.grading", "game_date = 2026-11-23", "token 1", "token 2");
            });
    assertThat(story).containsExactly("A checked its lock (token 1)", "B committed (token 2)");
    assertThat(playersInPartition("grading")).containsExactly("b0", "b1", "b2");
    assertThat(fenceRows("grading"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("token")).isEqualTo("2");
              assertThat(f.get("partition_key")).isEqualTo("2026-11-23");
              assertThat(f.get("lock_name")).isEqualTo("grading/2026-11-23");
            });
    // A's staging table is still dropped.
    assertThat(server.rows("ds", "grading_staging_")).isEmpty();
  }

  @Test
  void theSameTokenMayCommitAgain() {
    BigQueryWriter writer = writer();
    Fence fence = Fence.of("grading/2026-11-23", 5);

    writer.replacePartition("ds.grading", PARTITION, rows("x", 2), fence);
    WriteResult again = writer.replacePartition("ds.grading", PARTITION, rows("y", 2), fence);

    assertThat(again.rowsDeleted()).isEqualTo(2);
    assertThat(again.rowsInserted()).isEqualTo(2);
    assertThat(playersInPartition("grading")).containsExactly("y0", "y1");
    assertThat(fenceRows("grading")).singleElement().extracting(f -> f.get("token")).isEqualTo("5");
  }

  @Test
  void aLowerTokenIsRefusedAndNothingOfItsWriteIsVisible() {
    BigQueryWriter writer = writer();
    writer.replacePartition("ds.grading", PARTITION, rows("new", 2), Fence.of("grading/d", 7));

    assertThatThrownBy(
            () ->
                writer.replacePartition(
                    "ds.grading", PARTITION, rows("old", 2), Fence.of("grading/d", 6)))
        .isInstanceOf(StaleFenceException.class)
        .hasMessage(
            "stale fence: ds.grading partition game_date = 2026-11-23 refused token 6, the store"
                + " already committed token 7");

    assertThat(playersInPartition("grading")).containsExactly("new0", "new1");
    assertThat(fenceRows("grading")).singleElement().extracting(f -> f.get("token")).isEqualTo("7");
    assertThat(sleeps).as("a refusal is never retried").isEmpty();
  }

  @Test
  void abortedTransactionIsRetriedAndTheRetryReadsTheFenceAgain() {
    BigQueryWriter b = writer();
    // First attempt: BigQuery aborts the transaction; while A backs off, B commits token 2.
    server.answerQuery(400, FakeBigQueryServer.transactionAbortedError());
    BigQueryWriter a =
        writerBuilder()
            .sleeper(
                d -> {
                  sleeps.add(d);
                  b.replacePartition("ds.grading", PARTITION, rows("b", 2), Fence.of("k", 2));
                })
            .build();

    assertThatThrownBy(
            () -> a.replacePartition("ds.grading", PARTITION, rows("a", 2), Fence.of("k", 1)))
        .isInstanceOfSatisfying(
            StaleFenceException.class, e -> assertThat(e.storedToken()).isEqualTo(2));
    assertThat(sleeps).hasSize(1);
    assertThat(server.requests("POST", "/queries")).hasSize(3); // A aborted, B, A refused
    assertThat(playersInPartition("grading")).containsExactly("b0", "b1");
  }

  @Test
  void twoOverlappingFirstWritesOfANewPartitionCannotBothCommit() {
    // The first fenced write of a new partition, into an empty partition: neither its data MERGE
    // nor a fence MERGE that inserts the partition's first fence row updates or deletes a row, and
    // BigQuery lets transactions that only append commit side by side. B's whole write fits while
    // A's transaction is open; A must not commit on top of it.
    BigQueryWriter b = writer();
    server.beforeNextCommit(
        () -> b.replacePartition("ds.grading", PARTITION, rows("b", 2), Fence.of("k", 2)));

    assertThatThrownBy(
            () ->
                writer().replacePartition("ds.grading", PARTITION, rows("a", 2), Fence.of("k", 1)))
        .isInstanceOfSatisfying(
            StaleFenceException.class, e -> assertThat(e.storedToken()).isEqualTo(2));
    assertThat(sleeps).as("A's transaction was aborted once, then refused").hasSize(1);
    assertThat(playersInPartition("grading")).containsExactly("b0", "b1");
    assertThat(fenceRows("grading")).extracting(f -> f.get("token")).containsExactly("2");
  }

  @Test
  void overlappingWritesOfTwoTablesBothCommit() {
    BigQueryWriter odds = writer();
    server.beforeNextCommit(
        () -> odds.replacePartition("ds.odds", PARTITION, rows("o", 1), Fence.of("odds/d", 1)));

    writer().replacePartition("ds.grading", PARTITION, rows("g", 1), Fence.of("grading/d", 1));

    assertThat(sleeps).as("no conflict, no retry").isEmpty();
    assertThat(playersInPartition("grading")).containsExactly("g0");
    assertThat(playersInPartition("odds")).containsExactly("o0");
  }

  @Test
  void serializationConflictIsRetriedAndThenCommits() {
    server.answerQuery(400, FakeBigQueryServer.concurrentUpdateError("test-project:ds.grading"));

    WriteResult result =
        writer().replacePartition("ds.grading", PARTITION, rows("a", 2), Fence.of("k", 1));

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
    assertThat(playersInPartition("grading")).containsExactly("a0", "a1");
  }

  @Test
  void writersOfDifferentTablesKeepSeparateFenceTables() {
    BigQueryWriter writer = writer();

    writer.replacePartition("ds.grading", PARTITION, rows("g", 1), Fence.of("grading/d", 9));
    writer.replacePartition("ds.odds", PARTITION, rows("o", 1), Fence.of("odds/d", 1));

    assertThat(fenceRows("grading")).singleElement().extracting(f -> f.get("token")).isEqualTo("9");
    assertThat(fenceRows("odds")).singleElement().extracting(f -> f.get("token")).isEqualTo("1");
    List<String> scripts =
        server.requests("POST", "/queries").stream()
            .map(r -> JsonParser.parseString(r.body()).getAsJsonObject().get("query").getAsString())
            .toList();
    assertThat(scripts.get(0)).contains("`ds`.`grading__fence`").doesNotContain("odds");
    assertThat(scripts.get(1)).contains("`ds`.`odds__fence`").doesNotContain("grading");
  }

  @Test
  void partitionsOfOneTableKeepSeparateFenceRows() {
    BigQueryWriter writer = writer();
    PartitionFilter nextDay = new PartitionFilter("game_date", DAY.plusDays(1));
    List<Map<String, Object>> nextDayRows = rows("n", 1);
    nextDayRows.get(0).put("game_date", DAY.plusDays(1));

    writer.replacePartition("ds.grading", PARTITION, rows("d", 1), Fence.of("grading/d1", 8));
    // Another date's lock has its own token sequence; a lower number there is not stale.
    writer.replacePartition("ds.grading", nextDay, nextDayRows, Fence.of("grading/d2", 1));

    assertThat(fenceRows("grading"))
        .extracting(f -> f.get("partition_key") + "#" + f.get("token"))
        .containsExactlyInAnyOrder("2026-11-23#8", "2026-11-24#1");
  }

  @Test
  void theFenceTableIsCreatedOnceAndAnExistingOneIsAccepted() {
    writer().replacePartition("ds.grading", PARTITION, rows("a", 1), Fence.of("k", 1));
    BigQueryWriter second = writer();
    second.replacePartition("ds.grading", PARTITION, rows("b", 1), Fence.of("k", 2));
    second.replacePartition("ds.grading", PARTITION, rows("c", 1), Fence.of("k", 3));

    List<FakeBigQueryServer.Request> creates =
        server.requests("POST", "/datasets/ds/tables").stream()
            .filter(r -> r.body().contains("grading__fence"))
            .toList();
    assertThat(creates).hasSize(2); // one per writer; the second met 409 Already Exists
    assertThat(creates.get(0).body())
        .contains("\"partition_key\"", "\"token\"", "\"lock_name\"", "\"committed_at\"");
    assertThat(playersInPartition("grading")).containsExactly("c0");
  }

  @Test
  void replacingWithFewerThanHalfTheRowsIsRefusedUnlessAllowedForThatCall() {
    BigQueryWriter writer = writer();
    writer.replacePartition("ds.grading", PARTITION, rows("full", 4), Fence.of("k", 1));

    assertThatThrownBy(
            () ->
                writer.replacePartition("ds.grading", PARTITION, rows("part", 1), Fence.of("k", 2)))
        .isInstanceOfSatisfying(
            PartialDataException.class,
            e -> {
              assertThat(e.table()).isEqualTo("ds.grading");
              assertThat(e.partition()).isEqualTo("game_date = 2026-11-23");
              assertThat(e.currentRows()).isEqualTo(4);
              assertThat(e.newRows()).isEqualTo(1);
            });
    assertThat(playersInPartition("grading")).hasSize(4);
    assertThat(fenceRows("grading")).singleElement().extracting(f -> f.get("token")).isEqualTo("1");

    // Two of four is exactly half: accepted by the default guard.
    writer.replacePartition("ds.grading", PARTITION, rows("half", 2), Fence.of("k", 2));
    writer.replacePartition(
        "ds.grading", PARTITION, rows("one", 1), Fence.of("k", 3), PartialDataGuard.off());
    assertThat(playersInPartition("grading")).containsExactly("one0");
  }

  @Test
  void replacingWithNoRowsIsRefusedEvenForAnEmptyPartitionUnlessAllowed() {
    BigQueryWriter writer = writer();

    assertThatThrownBy(
            () -> writer.replacePartition("ds.grading", PARTITION, List.of(), Fence.of("k", 1)))
        .isInstanceOfSatisfying(
            PartialDataException.class,
            e -> assertThat(e.currentRows() + "/" + e.newRows()).isEqualTo("0/0"));
    writer.replacePartition("ds.grading", PARTITION, rows("a", 3), Fence.of("k", 1));
    assertThatThrownBy(
            () -> writer.replacePartition("ds.grading", PARTITION, List.of(), Fence.of("k", 1)))
        .isInstanceOf(PartialDataException.class)
        .hasMessageContaining("holds 3 rows and the replace would leave 0");

    WriteResult emptied =
        writer.replacePartition(
            "ds.grading", PARTITION, List.of(), Fence.of("k", 1), PartialDataGuard.off());
    assertThat(emptied.rowsDeleted()).isEqualTo(3);
    assertThat(playersInPartition("grading")).isEmpty();
  }

  @Test
  void theGuardCostsNoExtraJobTheCountIsInsideTheCommitScript() {
    writer().replacePartition("ds.grading", PARTITION, rows("a", 1), Fence.of("k", 1));

    assertThat(server.requests("POST", "/queries")).hasSize(1);
    assertThat(server.requests("POST", "/jobs"))
        .as("no job besides the staging load and the commit")
        .allSatisfy(r -> assertThat(r.path()).startsWith("/upload/"));
    String script =
        JsonParser.parseString(server.requests("POST", "/queries").get(0).body())
            .getAsJsonObject()
            .get("query")
            .getAsString();
    assertThat(script)
        .contains("COUNT(*)) AS current_rows", "BEGIN TRANSACTION;", "COMMIT TRANSACTION;");
  }

  @Test
  void writeResultReportsTheMergesDmlStatisticsAndTheJobIds() {
    BigQueryWriter writer = writer();
    writer.replacePartition("ds.grading", PARTITION, rows("a", 3), Fence.of("k", 1));

    WriteResult result =
        writer.replacePartition("ds.grading", PARTITION, rows("b", 2), Fence.of("k", 1));

    assertThat(result.rowsInserted()).isEqualTo(2);
    assertThat(result.rowsDeleted()).isEqualTo(3);
    assertThat(result.rowsUpdated()).isZero();
    assertThat(result.jobIds().get(0)).startsWith("job_q"); // the script
    assertThat(result.jobIds()).hasSizeGreaterThan(1); // and its child jobs
    assertThat(server.requests("GET", "/jobs").stream().map(FakeBigQueryServer.Request::path))
        .anySatisfy(p -> assertThat(p).endsWith("/jobs"));
  }

  @Test
  void unfencedAndUnguardedReplaceSendsTheBareMergeAndNoFenceTable() {
    WriteResult result =
        writer()
            .replacePartition(
                "ds.grading", PARTITION, rows("a", 2), Fence.unfenced(), PartialDataGuard.off());

    String sql =
        JsonParser.parseString(server.requests("POST", "/queries").get(0).body())
            .getAsJsonObject()
            .get("query")
            .getAsString();
    assertThat(sql).startsWith("MERGE `ds`.`grading` AS target").doesNotContain("fence");
    assertThat(server.requests("POST", "/datasets/ds/tables"))
        .noneSatisfy(r -> assertThat(r.body()).contains("__fence"));
    assertThat(result.rowsInserted()).isEqualTo(2); // from the job's own DML statistics
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void aMissingFenceIsRejectedBeforeAnyRequest() {
    assertThatThrownBy(() -> writer().replacePartition("ds.grading", PARTITION, rows("a", 1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fence")
        .hasMessageContaining("Fence.unfenced()");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void upsertIsFencedPerPartition() {
    BigQueryWriter writer = writer();
    writer.upsert(
        "ds.grading",
        List.of("player"),
        Optional.of("points"),
        Optional.of(PARTITION),
        rows("p", 2),
        Fence.of("k", 4));

    assertThatThrownBy(
            () ->
                writer.upsert(
                    "ds.grading",
                    List.of("player"),
                    Optional.empty(),
                    Optional.of(PARTITION),
                    rows("q", 1),
                    Fence.of("k", 3)))
        .isInstanceOf(StaleFenceException.class)
        .hasMessageContaining("refused token 3");
    assertThat(playersInPartition("grading")).containsExactly("p0", "p1");
  }

  @Test
  void cleanupIsFencedBeforeItsMergeRuns() {
    BigQueryWriter writer = writer();
    writer.replacePartition("ds.grading", PARTITION, rows("p", 2), Fence.of("grading/d", 5));
    server.answerQuery(
        200,
        "{\"kind\":\"bigquery#queryResponse\",\"schema\":{\"fields\":["
            + "{\"name\":\"total_rows\",\"type\":\"INTEGER\"},"
            + "{\"name\":\"duplicate_keys\",\"type\":\"INTEGER\"},"
            + "{\"name\":\"excess_rows\",\"type\":\"INTEGER\"}]},"
            + "\"jobReference\":{\"projectId\":\"test-project\",\"jobId\":\"job_c\"},"
            + "\"totalRows\":\"1\",\"rows\":[{\"f\":[{\"v\":\"2\"},{\"v\":\"1\"},{\"v\":\"1\"}]}],"
            + "\"jobComplete\":true}");
    CleanupPlan plan =
        writer.planCleanup(
            DuplicateCheck.of("ds.grading", List.of("player"))
                .inPartition("game_date", DAY)
                .withSampleLimit(0),
            Keep.latestBy("points"));

    assertThatThrownBy(() -> writer.cleanup(plan, Backup.NONE, Fence.of("grading/d", 4)))
        .isInstanceOf(StaleFenceException.class)
        .hasMessageContaining("refused token 4, the store already committed token 5");
    assertThat(playersInPartition("grading")).containsExactly("p0", "p1");
  }

  @Test
  void aFencedReplaceCostsElevenRequestsAndTwoJobsPlusOneTableCreateOnFirstUse() {
    BigQueryWriter writer = writer();
    writer.replacePartition("ds.grading", PARTITION, rows("a", 2), Fence.of("k", 1));
    int first = server.requests().size();
    writer.replacePartition("ds.grading", PARTITION, rows("b", 2), Fence.of("k", 2));

    List<String> second =
        server.requests().subList(first, server.requests().size()).stream()
            .map(
                r ->
                    r.method()
                        + " "
                        + r.path()
                            .replaceAll("_staging_\\w+", "_staging_*")
                            .replaceAll("jobs/[0-9a-f-]{36}", "jobs/<load>")
                            .replaceAll("job_q\\d+", "<commit>"))
            .toList();
    System.out.println("requests of a fenced replace: " + second);
    assertThat(first).as("the first write also creates the fence table").isEqualTo(12);
    // Two jobs: the staging load and the commit script (whose statements run as child jobs).
    assertThat(second)
        .containsExactly(
            "GET /bigquery/v2/projects/test-project/datasets/ds/tables/grading", // schema
            "POST /bigquery/v2/projects/test-project/datasets/ds/tables", // staging table
            "POST /upload/bigquery/v2/projects/test-project/jobs", // load: start upload
            "PUT /upload/bigquery/v2/projects/test-project/jobs", // load: the rows
            "GET /bigquery/v2/projects/test-project/jobs/<load>", // load: wait
            "GET /bigquery/v2/projects/test-project/jobs/<load>",
            "POST /bigquery/v2/projects/test-project/queries", // the commit script
            "GET /bigquery/v2/projects/test-project/jobs/<commit>", // the client's own reads
            "GET /bigquery/v2/projects/test-project/queries/<commit>",
            "GET /bigquery/v2/projects/test-project/jobs", // child jobs: DML statistics
            "DELETE /bigquery/v2/projects/test-project/datasets/ds/tables/grading_staging_*");
  }

  /** Forwards everything to a real handle; tests override one method to interleave. */
  private static class DelegatingHandle implements LockHandle {
    private final LockHandle inner;

    DelegatingHandle(LockHandle inner) {
      this.inner = inner;
    }

    @Override
    public LockKey key() {
      return inner.key();
    }

    @Override
    public String ownerId() {
      return inner.ownerId();
    }

    @Override
    public long fencingToken() {
      return inner.fencingToken();
    }

    @Override
    public Instant leaseExpiry() {
      return inner.leaseExpiry();
    }

    @Override
    public boolean isValid() {
      return inner.isValid();
    }

    @Override
    public void checkValid() {
      inner.checkValid();
    }

    @Override
    public void renew() {
      inner.renew();
    }

    @Override
    public void renew(Duration lease) {
      inner.renew(lease);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
