/**
 * BigQuery backends on the official client: duplicate validation ({@link
 * dev.pipelinereliability.bigquery.BigQueryDuplicateValidator}), writes that cannot duplicate
 * ({@link dev.pipelinereliability.bigquery.BigQueryWriter}: atomic partition replace, deduplicating
 * upsert, duplicate cleanup) and completion evidence ({@link
 * dev.pipelinereliability.bigquery.BigQueryCompletionEvidence}). The subpackage {@code
 * dev.pipelinereliability.bigquery.health} holds the health-check backend: when a source's data for
 * a date last arrived ({@code BigQueryArrivalSource}).
 *
 * <p>Every class takes the caller's {@code BigQuery} client and never closes it. Identifiers are
 * validated against BigQuery's naming rules and backtick-quoted ({@link
 * dev.pipelinereliability.bigquery.TableRef}, {@link dev.pipelinereliability.bigquery.Columns})
 * before any request; values reach BigQuery only as named query parameters or load data, never as
 * SQL text.
 *
 * <p>The write path a processor should use: dedup the rows ({@code Deduplicator}), call {@code
 * checkValid()} on its lock handle right before the commit (pass it as the {@link
 * dev.pipelinereliability.bigquery.PreCommitCheck}), replace the partition atomically, then
 * validate it. Statements that meet BigQuery's concurrent-update error are retried with bounded,
 * jittered backoff ({@link dev.pipelinereliability.bigquery.RetryPolicy}).
 */
package dev.pipelinereliability.bigquery;
