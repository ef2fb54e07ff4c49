package dev.pipelinereliability.lock;

import dev.pipelinereliability.ReliabilityException;

/**
 * Thrown when a handle is used after it stopped holding its lock: its lease ran out (and another
 * instance may have taken the lock), an operator force-released it, or it was already closed.
 *
 * <p>Work guarded by the lock must not be committed after this exception: another instance may be
 * doing the same work with a larger fencing token.
 */
public class LockLostException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** The lock that was lost; kept in the serialized form. */
  private final LockKey key;

  /**
   * Creates the exception for {@code key}.
   *
   * @param key the lock that was lost
   * @param reason how it was lost, for the log
   */
  public LockLostException(LockKey key, String reason) {
    super("lock " + key + " is no longer held: " + reason);
    this.key = key;
  }

  /**
   * Creates the exception for {@code key} with the backend failure that revealed the loss.
   *
   * @param key the lock that was lost
   * @param reason how it was lost, for the log
   * @param cause the underlying failure
   */
  public LockLostException(LockKey key, String reason, Throwable cause) {
    super("lock " + key + " is no longer held: " + reason, cause);
    this.key = key;
  }

  /**
   * Returns the lock that was lost.
   *
   * @return the lock that was lost
   */
  public LockKey key() {
    return key;
  }
}
