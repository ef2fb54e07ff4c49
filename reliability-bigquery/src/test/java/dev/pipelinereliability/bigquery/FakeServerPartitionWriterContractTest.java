package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.testkit.write.PartitionWriterContract;
import dev.pipelinereliability.write.PartitionWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link BigQueryWriter} passes the testkit's {@link PartitionWriterContract} through the real
 * google-cloud-bigquery client against {@link FakeBigQueryServer}, whose engine executes the commit
 * scripts. {@code LiveBigQueryPartitionWriterTest} runs the same contract on live BigQuery.
 */
class FakeServerPartitionWriterContractTest extends PartitionWriterContract {
  private static final String FIELDS =
      "[{\"name\":\"game_date\",\"type\":\"DATE\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"player\",\"type\":\"STRING\",\"mode\":\"NULLABLE\"},"
          + "{\"name\":\"points\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]";
  private final AtomicInteger seeds = new AtomicInteger(11);
  private FakeBigQueryServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeBigQueryServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected PartitionWriter writer() {
    return BigQueryWriter.builder(server.client())
        .sleeper(d -> {})
        .random(new SplittableRandom(seeds.getAndIncrement()))
        .build();
  }

  @Override
  protected String createTable(String name) {
    server.table("ds", name, FIELDS);
    return "ds." + name;
  }

  @Override
  protected List<String> playersIn(String table, LocalDate day) {
    return server.rows("ds", table.substring(table.indexOf('.') + 1)).stream()
        .filter(r -> day.toString().equals(r.get("game_date")))
        .map(r -> r.get("player"))
        .toList();
  }
}
