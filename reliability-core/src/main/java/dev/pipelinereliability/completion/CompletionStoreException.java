package dev.pipelinereliability.completion;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when the completion store could not be reached, answered with an error, or stayed too
 * contended to settle a key. Whether the write in flight took effect is unknown; every tracker
 * operation is safe to repeat, so the caller retries (for a Pub/Sub push, by failing the request so
 * the message is redelivered).
 *
 * <p>The backend's own exception, if any, is the cause.
 */
public class CompletionStoreException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  private final transient CompletionKey key;

  /**
   * Creates the exception for {@code key}.
   *
   * @param key the key whose store failed
   * @param message what was being attempted
   * @param cause the backend failure, or null when the failure is the library's own judgement
   */
  public CompletionStoreException(CompletionKey key, String message, @Nullable Throwable cause) {
    super("completion store failed for " + key + ": " + message, cause);
    this.key = key;
  }

  /**
   * Returns the key whose store failed.
   *
   * @return the key whose store failed
   */
  public CompletionKey key() {
    return key;
  }
}
