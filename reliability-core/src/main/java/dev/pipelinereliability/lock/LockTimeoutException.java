package dev.pipelinereliability.lock;

import dev.pipelinereliability.ReliabilityException;
import java.time.Duration;

/**
 * Thrown by {@link DistributedLock#acquire} when the lock stayed held by others for the whole
 * {@link LockOptions#maxWait()}. Nothing was acquired and nothing needs releasing.
 */
public class LockTimeoutException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** The lock that stayed held; kept in the serialized form. */
  private final LockKey key;

  /** How long the acquirer waited; kept in the serialized form. */
  private final Duration waited;

  /**
   * Creates the exception for {@code key} after waiting {@code waited}.
   *
   * @param key the lock that could not be acquired
   * @param waited how long the caller waited
   */
  public LockTimeoutException(LockKey key, Duration waited) {
    super("timed out after " + waited + " waiting for lock " + key);
    this.key = key;
    this.waited = waited;
  }

  /**
   * Returns the lock that could not be acquired.
   *
   * @return the lock that could not be acquired
   */
  public LockKey key() {
    return key;
  }

  /**
   * Returns how long the caller waited before giving up.
   *
   * @return how long the caller waited before giving up
   */
  public Duration waited() {
    return waited;
  }
}
