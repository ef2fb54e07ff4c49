package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The validator contract on live BigQuery. Opt-in: runs only when {@code
 * PIPELINE_RELIABILITY_BQ_PROJECT} and {@code PIPELINE_RELIABILITY_BQ_DATASET} name a project and
 * an existing dataset the default credentials can write to; skipped with that reason otherwise.
 * Every table it creates is dropped after its test. Cost: a few KB scanned per test.
 */
class LiveBigQueryDuplicateValidatorTest extends BigQueryValidatorContractSupport {
  static final String PROJECT_VAR = "PIPELINE_RELIABILITY_BQ_PROJECT";
  static final String DATASET_VAR = "PIPELINE_RELIABILITY_BQ_DATASET";
  private static BigQuery client;
  private static String dataset;

  @BeforeAll
  static void connect() {
    String project = System.getenv(PROJECT_VAR);
    dataset = System.getenv(DATASET_VAR);
    if (project == null || project.isBlank() || dataset == null || dataset.isBlank()) {
      // Surefire keeps assumption messages in its XML only; say it where CI's log shows it.
      System.err.println(
          "[SKIPPED] LiveBigQueryDuplicateValidatorTest: "
              + PROJECT_VAR
              + " and "
              + DATASET_VAR
              + " are not set, so there is no live BigQuery to test against");
      return;
    }
    client = BigQueryOptions.newBuilder().setProjectId(project).build().getService();
  }

  @BeforeEach
  void requireCredentials() {
    // Checked per test, not in @BeforeAll, so that every skipped test reports why.
    Assumptions.assumeTrue(
        client != null,
        "skipped: live BigQuery tests run only when "
            + PROJECT_VAR
            + " and "
            + DATASET_VAR
            + " name a project and dataset");
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
    return dataset;
  }
}
