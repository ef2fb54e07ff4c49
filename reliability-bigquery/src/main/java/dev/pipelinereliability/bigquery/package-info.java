/**
 * BigQuery backends on the official client: duplicate validation ({@link
 * dev.pipelinereliability.bigquery.BigQueryDuplicateValidator}), writes that cannot duplicate
 * ({@link dev.pipelinereliability.bigquery.BigQueryWriter}, the BigQuery {@code PartitionWriter}:
 * fenced, guarded, atomic partition replace, deduplicating upsert, duplicate cleanup) and
 * completion evidence ({@link dev.pipelinereliability.bigquery.BigQueryCompletionEvidence}). The
 * subpackage {@code dev.pipelinereliability.bigquery.health} holds the health-check backend: when a
 * source's data for a date last arrived ({@code BigQueryArrivalSource}).
 *
 * <p>Every class takes the caller's {@code BigQuery} client and never closes it. Identifiers are
 * validated against BigQuery's naming rules and backtick-quoted ({@link
 * dev.pipelinereliability.bigquery.TableRef}, {@link dev.pipelinereliability.bigquery.Columns})
 * before any request; values reach BigQuery only as named query parameters or load data, never as
 * SQL text.
 *
 * <p>The write path a processor should use: dedup the rows ({@code Deduplicator}), replace the
 * partition with the lock's {@code Fence} (BigQuery itself then refuses the commit of a holder that
 * was superseded, in the same transaction as the data change), then validate it. Statements that
 * meet BigQuery's concurrent-update error are retried with bounded, jittered backoff ({@link
 * dev.pipelinereliability.bigquery.RetryPolicy}).
 */
package dev.pipelinereliability.bigquery;
