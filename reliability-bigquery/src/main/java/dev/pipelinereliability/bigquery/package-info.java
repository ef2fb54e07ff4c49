/**
 * BigQuery backends on the official client: writes that a stale lock holder cannot overwrite and
 * partial data cannot wipe ({@link dev.pipelinereliability.bigquery.BigQueryWriter}, the BigQuery
 * {@code PartitionWriter}), duplicate validation ({@link
 * dev.pipelinereliability.bigquery.BigQueryDuplicateValidator}) and completion evidence ({@link
 * dev.pipelinereliability.bigquery.BigQueryCompletionEvidence}). The subpackage {@code health}
 * holds the freshness backend ({@code BigQueryArrivalSource}); {@code internal} is not API.
 *
 * <p>Every class is built with {@code create(bigquery, ...)} or {@code builder(bigquery, ...)},
 * takes the caller's {@code BigQuery} client and never closes it. Identifiers are validated against
 * BigQuery's naming rules and backtick-quoted before any request; values reach BigQuery only as
 * named query parameters or load data, never as SQL text.
 */
@NullMarked
package dev.pipelinereliability.bigquery;

import org.jspecify.annotations.NullMarked;
