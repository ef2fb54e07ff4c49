package dev.pipelinereliability.write;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * A write was refused because its fencing token is lower than the last token committed for the same
 * table and partition: another holder of the lock has written since this one acquired it. Nothing
 * of the refused write is visible. Not retried: the same token would be refused again.
 *
 * <p>Immutable and thread-safe.
 */
public final class StaleFenceException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** The table written; kept in the serialized form. */
  private final String table;

  /** The partition written; kept in the serialized form. */
  private final String partition;

  /** The fencing token the refused write carried; kept in the serialized form. */
  private final long token;

  /** The larger token the fence had already accepted; kept in the serialized form. */
  private final long storedToken;

  /**
   * Creates the exception; the message names every value.
   *
   * @param table the table written to
   * @param partition the partition, for example {@code game_date = 2026-11-23}, or {@code whole
   *     table}
   * @param token the refused writer's token
   * @param storedToken the token the store last committed
   * @param cause the store's refusal, or null
   */
  public StaleFenceException(
      String table, String partition, long token, long storedToken, @Nullable Throwable cause) {
    super(
        "stale fence: "
            + table
            + " partition "
            + partition
            + " refused token "
            + token
            + ", the store already committed token "
            + storedToken,
        cause);
    this.table = table;
    this.partition = partition;
    this.token = token;
    this.storedToken = storedToken;
  }

  /**
   * The table written to.
   *
   * @return the table id
   */
  public String table() {
    return table;
  }

  /**
   * The partition written to.
   *
   * @return for example {@code game_date = 2026-11-23}
   */
  public String partition() {
    return partition;
  }

  /**
   * The refused writer's token.
   *
   * @return the token
   */
  public long token() {
    return token;
  }

  /**
   * The token the store had committed last.
   *
   * @return the stored token, greater than {@link #token()}
   */
  public long storedToken() {
    return storedToken;
  }
}
