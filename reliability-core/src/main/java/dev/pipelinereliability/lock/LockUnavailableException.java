package dev.pipelinereliability.lock;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when the lock store could not be reached or answered with an error, so the library cannot
 * tell whether the lock is free. Callers must treat it as "not acquired": proceeding without the
 * lock is exactly the failure this library exists to prevent.
 *
 * <p>The backend's own exception is the cause.
 */
public class LockUnavailableException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** The lock whose store could not be reached; kept in the serialized form. */
  private final LockKey key;

  /**
   * Creates the exception for {@code key}.
   *
   * @param key the lock whose store failed
   * @param message what was being attempted
   * @param cause the backend failure, or null if there is none to wrap
   */
  public LockUnavailableException(LockKey key, String message, @Nullable Throwable cause) {
    super("lock store unavailable for " + key + ": " + message, cause);
    this.key = key;
  }

  /**
   * Returns the lock whose store failed.
   *
   * @return the lock whose store failed
   */
  public LockKey key() {
    return key;
  }
}
