package dev.pipelinereliability.bigquery;

/**
 * What a write did.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rowsWritten rows staged and committed
 * @param duplicatesRemoved rows the dedup before the write removed (0 for a partition replace)
 * @param attempts attempts of the committing statement (more than 1 after concurrent updates)
 */
public record WriteResult(long rowsWritten, int duplicatesRemoved, int attempts) {}
