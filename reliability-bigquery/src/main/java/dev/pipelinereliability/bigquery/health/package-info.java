/**
 * BigQuery backends for health checks: {@link
 * dev.pipelinereliability.bigquery.health.BigQueryArrivalSource} tells a freshness check when a
 * source's data for a date last arrived, from the {@code MAX} of a load-time column over that
 * date's rows, in one parameterised query.
 *
 * <pre>{@code
 * ArrivalSource oddsArrivals = BigQueryArrivalSource.builder(bigquery, "nba_raw.odds_api_props")
 *     .dateColumn("game_date")
 *     .loadedAtColumn("processed_at")
 *     .maximumBytesBilled(1_000_000_000L)
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.pipelinereliability.bigquery.health;

import org.jspecify.annotations.NullMarked;
