/**
 * A health check for duplicate business keys: {@link
 * dev.pipelinereliability.health.duplicates.DuplicatesCheck} runs a {@link
 * dev.pipelinereliability.validation.DuplicateValidator} (in memory, or the BigQuery one that
 * counts in one query) over a configured table and key, and fails on any duplicated key.
 *
 * <pre>{@code
 * List<DuplicatesCheck> checks = DuplicatesCheck.forTables(validator, List.of(
 *     DuplicateCheck.of("nba_analytics.player_game_summary", List.of("player_lookup", "game_id"))
 *         .inPartition("game_date", yesterday),
 *     DuplicateCheck.of("nba_predictions.prediction_grades",
 *             List.of("player_lookup", "game_id", "system_id", "line_value"))
 *         .inPartition("game_date", yesterday)));
 * }</pre>
 */
@NullMarked
package dev.pipelinereliability.health.duplicates;

import org.jspecify.annotations.NullMarked;
