package dev.pipelinereliability.bigquery;

/**
 * A duplicate cleanup failed after it had backed the table up: the backup table exists and is kept
 * (the library never deletes a backup), and this exception names it so the caller can restore from
 * it or drop it. The cleanup statement did not commit, so the table itself is unchanged. The cause
 * is the original failure: a {@link ConcurrentUpdateException}, a {@link
 * dev.pipelinereliability.write.StaleFenceException}, another {@link BigQueryWriteException}, or
 * whatever the fence's lock check threw ({@link
 * dev.pipelinereliability.write.Fence#checkBeforeCommit()}, for example a lost lock).
 *
 * <p>Immutable and thread-safe.
 */
public final class CleanupFailedException extends BigQueryWriteException {
  private static final long serialVersionUID = 1L;

  /** The backup of the table taken before the cleanup; kept in the serialized form. */
  private final String backup;

  /**
   * Creates the exception.
   *
   * @param message what failed; should name the backup
   * @param backup the id of the backup table the cleanup created before failing
   * @param cause the original failure
   */
  public CleanupFailedException(String message, String backup, Throwable cause) {
    super(message, cause);
    this.backup = backup;
  }

  /**
   * The backup table the cleanup created before it failed; it still exists.
   *
   * @return the backup's table id, for example {@code ds.grading_backup_20261123_061500}
   */
  public String backup() {
    return backup;
  }
}
