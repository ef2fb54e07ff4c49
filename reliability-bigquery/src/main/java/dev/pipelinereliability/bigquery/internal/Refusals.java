package dev.pipelinereliability.bigquery.internal;

import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.StaleFenceException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the errors the commit script raises ({@link Sql#commitScript}, with {@code ERROR(...)})
 * back into the library's exceptions. BigQuery fails such a script with HTTP 400, reason {@code
 * invalidQuery} (the reason of every SQL error), and the raised text in the message, possibly with
 * a prefix or a position around it; so the text is the only discriminator, matched anywhere in the
 * message.
 */
public final class Refusals {
  private static final Pattern FENCE =
      Pattern.compile(
          Pattern.quote(Sql.FENCE_REFUSAL) + " .* refused token (-?\\d+), stored token (-?\\d+)");
  private static final Pattern GUARD =
      Pattern.compile(
          Pattern.quote(Sql.GUARD_REFUSAL)
              + " .* holds (\\d+) rows, the replace would leave (\\d+)");

  private final String table;
  private final String partition;
  private final PartialDataGuard guard;

  /**
   * @param table the table as the exceptions name it
   * @param partition the partition as the exceptions name it
   * @param guard the guard of this call, for the message of a partial-data refusal
   */
  public Refusals(String table, String partition, PartialDataGuard guard) {
    this.table = table;
    this.partition = partition;
    this.guard = guard;
  }

  /** The refusal {@code e} reports, or null if it is some other failure. */
  public @Nullable RuntimeException translate(Throwable e) {
    for (String message : QueryJobs.messages(e)) {
      Matcher m = FENCE.matcher(message);
      if (m.find()) {
        return new StaleFenceException(
            table, partition, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), e);
      }
      m = GUARD.matcher(message);
      if (m.find()) {
        return new PartialDataException(
            table, partition, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), guard, e);
      }
    }
    return null;
  }
}
