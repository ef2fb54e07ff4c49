/**
 * Partition writes that a stale lock holder cannot overwrite and that partial data cannot wipe.
 *
 * <p>{@link dev.pipelinereliability.write.PartitionWriter} is the contract a processor writes
 * through: an atomic partition replace (and an upsert by key), each committed only if the caller's
 * {@link dev.pipelinereliability.write.Fence} is not older than the last fence committed for that
 * table and partition ({@link dev.pipelinereliability.write.StaleFenceException} otherwise), and a
 * replace refused when it would shrink the partition below the {@link
 * dev.pipelinereliability.write.PartialDataGuard} ({@link
 * dev.pipelinereliability.write.PartialDataException}). The BigQuery backend is {@code
 * BigQueryWriter} (reliability-bigquery); the in-memory fake and the contract every backend passes
 * are in reliability-testkit.
 */
@NullMarked
package dev.pipelinereliability.write;

import org.jspecify.annotations.NullMarked;
