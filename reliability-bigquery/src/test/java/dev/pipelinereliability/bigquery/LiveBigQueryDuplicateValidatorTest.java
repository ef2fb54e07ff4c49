package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The validator contract on live BigQuery. Opt-in: runs only when {@code
 * PIPELINE_RELIABILITY_BQ_PROJECT} and {@code PIPELINE_RELIABILITY_BQ_DATASET} name a project and
 * an existing dataset the default credentials can write to; skipped with that reason otherwise.
 * Every table it creates is dropped after its test. Cost: a few KB scanned per test.
 */
class LiveBigQueryDuplicateValidatorTest extends BigQueryValidatorContractSupport {
  private static @Nullable LiveBigQuery live;

  @BeforeAll
  static void connect() {
    live = LiveBigQuery.fromEnvironment(LiveBigQueryDuplicateValidatorTest.class);
  }

  @BeforeEach
  void requireCredentials() {
    LiveBigQuery.require(live);
  }

  @AfterEach
  void drop() {
    dropCreatedTables();
  }

  @Override
  BigQuery bigquery() {
    return LiveBigQuery.require(live).client();
  }

  @Override
  String dataset() {
    return LiveBigQuery.require(live).dataset();
  }
}
