package dev.pipelinereliability.bigquery;

/**
 * Runs right before each attempt of a committing statement (the MERGE or the truncating load), so a
 * processor can confirm it still holds its lock: pass {@code lockHandle::checkValid}. Whatever it
 * throws stops the write before the statement is sent and propagates unchanged, except after a
 * cleanup's backup: then it is the cause of a {@link CleanupFailedException} that names the backup.
 *
 * <p>On Cloud Run with request-based billing a background lock renewal may be starved of CPU, so
 * this check, not renewal, is what guarantees that a superseded run does not commit.
 */
@FunctionalInterface
public interface PreCommitCheck {

  /** A check that always passes, for writes not guarded by a lock. */
  PreCommitCheck NONE = () -> {};

  /**
   * Confirms the write may commit.
   *
   * @throws RuntimeException to stop the write (for example {@code LockLostException})
   */
  void beforeCommit();
}
