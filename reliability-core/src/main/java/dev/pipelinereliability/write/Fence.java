package dev.pipelinereliability.write;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.lock.LockHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The proof a writer presents with a commit: the fencing token of the lock it holds, and the name
 * of that lock. A {@link PartitionWriter} stores the highest token it has committed per table and
 * partition and refuses a commit whose token is lower ({@link StaleFenceException}), so a holder
 * that stalled past its lease cannot overwrite the work of the holder that took over.
 *
 * <p>Tokens are comparable only within one lock key: every writer of one table partition must take
 * its fence from the same lock (for example {@code LockKey.of("grading", gameDate)}). The lock name
 * is stored beside the token for operators.
 *
 * <p>Writing without a lock is a choice the caller states with {@link #unfenced()}; no writer
 * method has an unfenced default.
 *
 * <p>Immutable and thread-safe (a fence made {@link #of(LockHandle) from a handle} calls that
 * handle's thread-safe {@code checkValid()}).
 */
public final class Fence {
  private static final Fence UNFENCED = new Fence(null, 0, null);

  // Both null only for the unfenced marker; handle also null for a fence built from a name.
  private final @Nullable String lockName;
  private final long token;
  private final @Nullable LockHandle handle;

  private Fence(@Nullable String lockName, long token, @Nullable LockHandle handle) {
    this.lockName = lockName;
    this.token = token;
    this.handle = handle;
  }

  /**
   * The fence of a held lock: its key and fencing token. Before each attempt of a commit the writer
   * also calls {@link LockHandle#checkValid()}, an early exit that sends nothing when the lock is
   * already known to be lost; the stored token is what refuses a holder that stalls after that
   * check.
   *
   * @param handle the held lock
   * @return the fence
   * @throws NullPointerException if {@code handle} is null
   */
  public static Fence of(LockHandle handle) {
    requireNonNull(handle, "handle must not be null (use Fence.unfenced())");
    return new Fence(handle.key().toString(), handle.fencingToken(), handle);
  }

  /**
   * A fence from a lock name and token the caller carried itself, for example across a process
   * boundary. No lock check runs before the commit; only the stored token decides.
   *
   * @param lockName the lock the token came from, non-blank, at most 1024 characters
   * @param token the fencing token, at least 1
   * @return the fence
   * @throws IllegalArgumentException naming the value if {@code lockName} is blank or too long or
   *     {@code token} is below 1
   */
  public static Fence of(String lockName, long token) {
    requireNonNull(lockName, "lockName");
    if (lockName.isBlank() || lockName.length() > 1024) {
      throw new IllegalArgumentException(
          "fence lock name must be 1 to 1024 non-blank characters, got '" + lockName + "'");
    }
    if (token < 1) {
      throw new IllegalArgumentException("fencing token must be at least 1, got " + token);
    }
    return new Fence(lockName, token, null);
  }

  /**
   * No fence: the write neither checks nor advances a stored token, so a stale writer is not
   * refused. For writers that run without a lock on purpose (a one-off backfill, a test).
   *
   * @return the unfenced marker
   */
  public static Fence unfenced() {
    return UNFENCED;
  }

  /**
   * Whether this fence carries a token.
   *
   * @return false only for {@link #unfenced()}
   */
  public boolean isFenced() {
    return lockName != null;
  }

  /**
   * The fencing token.
   *
   * @return the token; 0 when unfenced
   */
  public long token() {
    return token;
  }

  /**
   * The lock the token came from.
   *
   * @return the lock name, for example {@code grading/2026-11-23}; empty when unfenced
   */
  public String lockName() {
    return lockName == null ? "" : lockName;
  }

  /**
   * The early exit a writer runs before each attempt: the handle's {@link LockHandle#checkValid()}
   * for a fence made from a handle, nothing otherwise.
   *
   * @throws dev.pipelinereliability.lock.LockLostException if the handle no longer holds its lock
   * @throws dev.pipelinereliability.lock.LockUnavailableException if the lock store could not be
   *     reached
   */
  public void checkBeforeCommit() {
    if (handle != null) {
      handle.checkValid();
    }
  }

  /**
   * Refuses this fence if a later token was committed where it writes; the fence decision every
   * writer makes (an unfenced write is never refused).
   *
   * @param table the table written, for the message
   * @param partition the partition written, for the message
   * @param storedToken the highest token committed there
   * @throws StaleFenceException naming table, partition and both tokens, if this fence is fenced
   *     and {@code storedToken} is greater than its token
   */
  public void checkNotOlderThan(String table, String partition, long storedToken) {
    if (isFenced() && storedToken > token) {
      throw new StaleFenceException(table, partition, token, storedToken, null);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fence f
        && token == f.token
        && Objects.equals(lockName, f.lockName)
        && handle == f.handle;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lockName, token);
  }

  @Override
  public String toString() {
    return isFenced() ? "Fence[" + lockName + " #" + token + "]" : "Fence[unfenced]";
  }
}
