package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The opt-in live BigQuery of the live tests: a client for the project and dataset that {@code
 * PIPELINE_RELIABILITY_BQ_PROJECT} and {@code PIPELINE_RELIABILITY_BQ_DATASET} name, or none, and
 * then every live test is skipped with that reason.
 */
record LiveBigQuery(BigQuery client, String dataset) {
  static final String PROJECT_VAR = "PIPELINE_RELIABILITY_BQ_PROJECT";
  static final String DATASET_VAR = "PIPELINE_RELIABILITY_BQ_DATASET";

  /** The live BigQuery, or null after printing why {@code test} is skipped. */
  static @Nullable LiveBigQuery fromEnvironment(Class<?> test) {
    String project = System.getenv(PROJECT_VAR);
    String dataset = System.getenv(DATASET_VAR);
    if (project == null || project.isBlank() || dataset == null || dataset.isBlank()) {
      // Surefire keeps assumption messages in its XML only; say it where CI's log shows it.
      System.err.println(
          "[SKIPPED] "
              + test.getSimpleName()
              + ": "
              + PROJECT_VAR
              + " and "
              + DATASET_VAR
              + " are not set, so there is no live BigQuery to test against");
      return null;
    }
    return new LiveBigQuery(
        BigQueryOptions.newBuilder().setProjectId(project).build().getService(), dataset);
  }

  /** Skips the calling test, with the reason, when there is no live BigQuery. */
  static LiveBigQuery require(@Nullable LiveBigQuery live) {
    // Checked per test, not in @BeforeAll, so that every skipped test reports why.
    Assumptions.assumeTrue(
        live != null,
        "skipped: live BigQuery tests run only when "
            + PROJECT_VAR
            + " and "
            + DATASET_VAR
            + " name a project and dataset");
    return Objects.requireNonNull(live);
  }
}
