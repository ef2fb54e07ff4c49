/**
 * Dedup before write: remove rows that share a business key before they reach BigQuery.
 *
 * <p>A {@link dev.pipelinereliability.dedup.Deduplicator} works on map rows (BigQuery insert rows)
 * keyed by named fields, or on typed records keyed by an extractor, and keeps the first row, the
 * latest row by a field or comparator (ties broken by input position), or fails when rows with one
 * key differ. The {@link dev.pipelinereliability.dedup.DedupResult} keeps input order and says how
 * many rows went and which keys they had.
 *
 * <p>Keys compare as BigQuery's {@code GROUP BY} would group them ({@link
 * dev.pipelinereliability.dedup.KeyValues}), so a dedup before the write and a duplicate check
 * after it ({@code dev.pipelinereliability.validation}) agree on what a duplicate is.
 */
@NullMarked
package dev.pipelinereliability.dedup;

import org.jspecify.annotations.NullMarked;
