package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.testkit.write.PartitionWriterContract;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link PartitionWriterContract} and a race of two fenced writers on live BigQuery: the real
 * transactions, the real {@code ERROR()} payloads, the real DML statistics. Opt-in: runs only when
 * {@code PIPELINE_RELIABILITY_BQ_PROJECT} and {@code PIPELINE_RELIABILITY_BQ_DATASET} name a
 * project and an existing dataset the default credentials can write to; skipped with that reason
 * otherwise. Every table it creates (and its {@code __fence} table) is dropped after its test.
 * Cost: each write bills BigQuery's 10 MB minimum per table it reads, so the run costs a few
 * hundred MB of on-demand scanning.
 */
class LiveBigQueryPartitionWriterTest extends PartitionWriterContract {
  private static @Nullable LiveBigQuery live;

  // Set in @BeforeAll when live BigQuery is configured; otherwise every test skips before reading.
  @SuppressWarnings("NullAway.Init")
  private static BigQuery client;

  @SuppressWarnings("NullAway.Init")
  private static String dataset;

  private final List<String> created = new ArrayList<>();

  @BeforeAll
  static void connect() {
    live = LiveBigQuery.fromEnvironment(LiveBigQueryPartitionWriterTest.class);
    if (live != null) {
      client = live.client();
      dataset = live.dataset();
    }
  }

  @BeforeEach
  void requireCredentials() {
    LiveBigQuery.require(live);
  }

  @AfterEach
  void drop() {
    for (String name : created) {
      client.delete(TableId.of(dataset, name));
      client.delete(TableId.of(dataset, name + BigQueryWriter.FENCE_TABLE_SUFFIX));
    }
  }

  @Override
  protected PartitionWriter writer() {
    return BigQueryWriter.builder(client)
        .retryPolicy(TestPolicies.fullJitter(8, Duration.ofSeconds(1), Duration.ofSeconds(16)))
        .build();
  }

  @Override
  protected String createTable(String name) {
    Schema schema =
        Schema.of(
            Field.of("game_date", StandardSQLTypeName.DATE),
            Field.of("player", StandardSQLTypeName.STRING),
            Field.of("points", StandardSQLTypeName.INT64));
    client.create(
        TableInfo.of(
            TableId.of(dataset, name),
            StandardTableDefinition.newBuilder()
                .setSchema(schema)
                .setTimePartitioning(
                    TimePartitioning.newBuilder(TimePartitioning.Type.DAY)
                        .setField("game_date")
                        .build())
                .build()));
    created.add(name);
    return dataset + "." + name;
  }

  @Override
  protected List<String> playersIn(String table, LocalDate day) {
    QueryJobConfiguration query =
        QueryJobConfiguration.newBuilder(
                "SELECT player FROM " + TableRef.parse(table).sql() + " WHERE game_date = @d")
            .addNamedParameter("d", QueryParameterValue.date(day.toString()))
            .build();
    List<String> players = new ArrayList<>();
    try {
      for (FieldValueList row : client.query(query).iterateAll()) {
        players.add(row.get(0).getStringValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return players;
  }

  @Test
  void twoConcurrentFencedWritersLeaveTheHigherTokensRows() throws Exception {
    String table = createTable("race_" + System.nanoTime());
    PartitionFilter day = new PartitionFilter("game_date", DAY);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Object> older =
          pool.submit(
              () -> {
                start.await();
                try {
                  return writer().replacePartition(table, day, rows(DAY, "a", 3), Fence.of("k", 1));
                } catch (StaleFenceException refused) {
                  return refused;
                }
              });
      Future<Object> newer =
          pool.submit(
              () -> {
                start.await();
                return writer().replacePartition(table, day, rows(DAY, "b", 3), Fence.of("k", 2));
              });
      start.countDown();
      Object olderOutcome = older.get(5, TimeUnit.MINUTES);
      newer.get(5, TimeUnit.MINUTES);

      // Whichever committed first, the newer token's rows are what remains: either the older
      // writer committed first and was replaced, or it came second and was refused.
      assertThat(playersIn(table, DAY)).containsExactlyInAnyOrder("b0", "b1", "b2");
      System.out.println("older writer: " + olderOutcome);
    } finally {
      pool.shutdownNow();
    }
  }
}
