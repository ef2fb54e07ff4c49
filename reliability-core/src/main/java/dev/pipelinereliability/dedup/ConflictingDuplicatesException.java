package dev.pipelinereliability.dedup;

import dev.pipelinereliability.ReliabilityException;
import java.util.List;

/**
 * Thrown by a deduplicator configured with {@link Deduplicator.Builder#failOnConflict()} when rows
 * share a key but differ in content, so no row can be chosen safely. Nothing has been written:
 * dedup runs before the write.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConflictingDuplicatesException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  private final transient List<DuplicateConflict> conflicts;

  /** How many keys had rows that disagree; kept in the serialized form. */
  private final int conflictingKeys;

  /**
   * Creates the exception.
   *
   * @param conflictingKeys how many keys had conflicting rows in total
   * @param conflicts a sample of those keys with their row positions
   */
  public ConflictingDuplicatesException(int conflictingKeys, List<DuplicateConflict> conflicts) {
    super(
        conflictingKeys
            + " key(s) have rows with the same key but different content; first: "
            + conflicts);
    this.conflictingKeys = conflictingKeys;
    this.conflicts = List.copyOf(conflicts);
  }

  /**
   * How many keys had rows with differing content.
   *
   * @return how many keys had rows with differing content
   */
  public int conflictingKeys() {
    return conflictingKeys;
  }

  /**
   * Up to the deduplicator's sample size of conflicting keys, in input order of discovery.
   *
   * @return up to the deduplicator's sample size of conflicting keys, in input order of discovery
   */
  public List<DuplicateConflict> conflicts() {
    return conflicts;
  }
}
