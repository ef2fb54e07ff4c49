package dev.pipelinereliability.bigquery;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BigQueryEmulatorContainer;

/**
 * The validator contract on the goccy BigQuery emulator, started by Testcontainers. Opt-in by
 * capability: skipped, with the reason, when no Docker engine is reachable (as on the project's CI
 * machines). The emulator ignores partitioning and serialises requests, so it checks SQL semantics,
 * not cost.
 */
class EmulatorDuplicateValidatorTest extends BigQueryValidatorContractSupport {
  private static final String IMAGE = "ghcr.io/goccy/bigquery-emulator:0.6.6";
  private static @Nullable BigQueryEmulatorContainer emulator;

  // Set in @BeforeAll when Docker is reachable; otherwise every test skips before reading it.
  @SuppressWarnings("NullAway.Init")
  private static BigQuery client;

  @BeforeAll
  static void startEmulator() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    if (!docker) {
      // Surefire keeps assumption messages in its XML only; say it where CI's log shows it.
      System.err.println(
          "[SKIPPED] EmulatorDuplicateValidatorTest: no Docker engine is reachable, so the goccy"
              + " BigQuery emulator cannot start; the SQL is covered by golden tests and the"
              + " client plumbing by BigQueryClientTest");
      return;
    }
    BigQueryEmulatorContainer started = new BigQueryEmulatorContainer(IMAGE);
    emulator = started;
    started.start();
    client =
        BigQueryOptions.newBuilder()
            .setProjectId(started.getProjectId())
            .setHost(started.getEmulatorHttpEndpoint())
            .setLocation("US")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.stop();
    }
  }

  @BeforeEach
  void createDataset() {
    // Checked per test, not in @BeforeAll, so that every skipped test reports why.
    Assumptions.assumeTrue(
        client != null,
        "skipped: no Docker engine is reachable, so the goccy BigQuery emulator ("
            + IMAGE
            + ") cannot start; the SQL is covered by golden tests and the client plumbing by"
            + " BigQueryClientTest");
    ensureDataset();
  }

  @AfterEach
  void drop() {
    dropCreatedTables();
  }

  @Override
  BigQuery bigquery() {
    return client;
  }

  @Override
  String dataset() {
    return "contract";
  }

  @Override
  boolean partitioned() {
    return false;
  }
}
