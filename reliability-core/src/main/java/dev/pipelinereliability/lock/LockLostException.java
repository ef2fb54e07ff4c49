package dev.pipelinereliability.lock;

import dev.pipelinereliability.ReliabilityException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  /** Why it was lost, as far as the backend could tell. */
  private final LockLossCause lossCause;

  /**
   * Creates the exception for {@code key}, cause {@link LockLossCause#UNKNOWN}.
   *
   * @param key the lock that was lost
   * @param reason how it was lost, for the log
   */
  public LockLostException(LockKey key, String reason) {
    this(key, LockLossCause.UNKNOWN, reason);
  }

  /**
   * Creates the exception for {@code key} with the backend failure that revealed the loss, cause
   * {@link LockLossCause#UNKNOWN}.
   *
   * @param key the lock that was lost
   * @param reason how it was lost, for the log
   * @param cause the underlying failure, or null if there is none to wrap
   */
  public LockLostException(LockKey key, String reason, @Nullable Throwable cause) {
    this(key, LockLossCause.UNKNOWN, reason, cause);
  }

  /**
   * Creates the exception for {@code key}.
   *
   * @param key the lock that was lost
   * @param lossCause why it was lost
   * @param reason how it was lost, for the log
   * @throws NullPointerException if {@code lossCause} is null
   */
  public LockLostException(LockKey key, LockLossCause lossCause, String reason) {
    super("lock " + key + " is no longer held: " + reason);
    this.key = key;
    this.lossCause = Objects.requireNonNull(lossCause, "lossCause");
  }

  /**
   * Creates the exception for {@code key} with the backend failure that revealed the loss.
   *
   * @param key the lock that was lost
   * @param lossCause why it was lost
   * @param reason how it was lost, for the log
   * @param cause the underlying failure, or null if there is none to wrap
   * @throws NullPointerException if {@code lossCause} is null
   */
  public LockLostException(
      LockKey key, LockLossCause lossCause, String reason, @Nullable Throwable cause) {
    super("lock " + key + " is no longer held: " + reason, cause);
    this.key = key;
    this.lossCause = Objects.requireNonNull(lossCause, "lossCause");
  }

  /**
   * Returns why the lock was lost, as far as the backend could tell.
   *
   * @return why the lock was lost
   */
  public LockLossCause lossCause() {
    return lossCause;
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
