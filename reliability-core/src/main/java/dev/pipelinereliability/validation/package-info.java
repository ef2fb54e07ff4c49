/**
 * Duplicate validation after write: one cheap check that a table or partition holds at most one row
 * per business key.
 *
 * <p>A {@link dev.pipelinereliability.validation.DuplicateValidator} runs a {@link
 * dev.pipelinereliability.validation.DuplicateCheck} and returns a {@link
 * dev.pipelinereliability.validation.DuplicateReport}: total rows, duplicated keys, excess rows
 * (rows beyond one per key) and a few samples with their counts. Key values group as BigQuery's
 * {@code GROUP BY} groups them (see {@link dev.pipelinereliability.dedup.KeyValues}).
 *
 * <p>Implementations: {@code InMemoryDuplicateValidator} in the testkit, {@code
 * BigQueryDuplicateValidator} in reliability-bigquery. Both pass {@code
 * DuplicateValidatorContract}.
 */
@NullMarked
package dev.pipelinereliability.validation;

import org.jspecify.annotations.NullMarked;
