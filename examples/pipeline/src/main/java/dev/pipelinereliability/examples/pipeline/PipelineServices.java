package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import dev.pipelinereliability.bigquery.BigQueryDuplicateValidator;
import dev.pipelinereliability.bigquery.BigQueryWriter;
import dev.pipelinereliability.examples.warehouse.TableReader;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.write.PartitionWriter;
import java.time.Clock;

/**
 * What processors share within one service: the lock store, the warehouse and its validator, the
 * raw data feed, the completion publisher and the clock. Pass in-memory fakes in tests, Firestore
 * and BigQuery backends in production.
 *
 * @param locks the lock store
 * @param writer where rows are written: the library's fenced, guarded partition writer
 * @param tables where processors read their upstream rows
 * @param validator checks a written partition for duplicate keys
 * @param feed the raw data the processors read
 * @param completions where completion is announced
 * @param clock the service clock
 */
public record PipelineServices(
    DistributedLock locks,
    PartitionWriter writer,
    TableReader tables,
    DuplicateValidator validator,
    SourceFeed feed,
    CompletionPublisher completions,
    Clock clock) {

  /** Checks that nothing is null. */
  public PipelineServices {
    requireNonNull(locks, "locks");
    requireNonNull(writer, "writer");
    requireNonNull(tables, "tables");
    requireNonNull(validator, "validator");
    requireNonNull(feed, "feed");
    requireNonNull(completions, "completions");
    requireNonNull(clock, "clock");
  }

  /**
   * The production wiring on BigQuery: {@link BigQueryWriter} (fenced, guarded partition replace)
   * and {@link BigQueryDuplicateValidator} over the caller's client, which neither closes.
   *
   * @param locks the lock store, for example a {@code FirestoreDistributedLock}
   * @param bigquery the caller's BigQuery client
   * @param tables where processors read their upstream rows
   * @param feed the raw data the processors read
   * @param completions where completion is announced
   * @param clock the service clock
   * @return the services
   */
  public static PipelineServices onBigQuery(
      DistributedLock locks,
      BigQuery bigquery,
      TableReader tables,
      SourceFeed feed,
      CompletionPublisher completions,
      Clock clock) {
    return new PipelineServices(
        locks,
        BigQueryWriter.create(bigquery),
        tables,
        BigQueryDuplicateValidator.create(bigquery),
        feed,
        completions,
        clock);
  }
}
