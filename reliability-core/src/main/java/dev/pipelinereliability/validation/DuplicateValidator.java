package dev.pipelinereliability.validation;

/**
 * Checks a written table (or one partition of it) for rows that share a business key. Run it after
 * the write; a processor that dedups before writing and replaces partitions atomically should
 * always get a clean report, so a dirty one means another writer bypassed that path.
 *
 * <p>Implementations are thread-safe.
 */
public interface DuplicateValidator {

  /**
   * Counts rows, duplicated keys and excess rows for {@code check}, with samples.
   *
   * @param check the table, key columns, partition and sample limit
   * @return the report; {@link DuplicateReport#isClean()} tells whether duplicates exist
   * @throws IllegalArgumentException if the backend rejects an identifier in {@code check} (before
   *     any request is sent)
   * @throws ValidationException if the backend fails (table missing, query rejected, cost limit)
   */
  DuplicateReport validate(DuplicateCheck check);
}
