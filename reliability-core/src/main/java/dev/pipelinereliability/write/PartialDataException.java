package dev.pipelinereliability.write;

import dev.pipelinereliability.ReliabilityException;
import org.jspecify.annotations.Nullable;

/**
 * A partition replace was refused by its {@link PartialDataGuard}: it would have left no rows, or
 * too few of the rows the partition holds now. The partition is unchanged. Pass {@link
 * PartialDataGuard#off()} for that call if the shrink is intended.
 *
 * <p>Immutable and thread-safe.
 */
public final class PartialDataException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  /** The table written; kept in the serialized form. */
  private final String table;

  /** The partition written; kept in the serialized form. */
  private final String partition;

  /** How many rows the partition held; kept in the serialized form. */
  private final long currentRows;

  /** How many rows the refused write had; kept in the serialized form. */
  private final long newRows;

  /**
   * Creates the exception; the message names every value.
   *
   * @param table the table written to
   * @param partition the partition, for example {@code game_date = 2026-11-23}
   * @param currentRows rows the partition holds
   * @param newRows rows the refused replace would have left
   * @param guard the guard that refused
   * @param cause the store's refusal, or null
   */
  public PartialDataException(
      String table,
      String partition,
      long currentRows,
      long newRows,
      PartialDataGuard guard,
      @Nullable Throwable cause) {
    super(
        "partial data refused: "
            + table
            + " partition "
            + partition
            + " holds "
            + currentRows
            + " rows and the replace would leave "
            + newRows
            + " (guard: "
            + (guard.refuseEmpty() ? "no empty replace, " : "")
            + "at least "
            + guard.minFraction()
            + " of the current rows; pass PartialDataGuard.off() to allow)",
        cause);
    this.table = table;
    this.partition = partition;
    this.currentRows = currentRows;
    this.newRows = newRows;
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
   * Rows the partition holds.
   *
   * @return the current row count
   */
  public long currentRows() {
    return currentRows;
  }

  /**
   * Rows the refused replace would have left.
   *
   * @return the new row count
   */
  public long newRows() {
    return newRows;
  }
}
