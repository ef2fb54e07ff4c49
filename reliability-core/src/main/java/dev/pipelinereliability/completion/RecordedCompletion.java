package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A completion as the store holds it: which processor, what it said, when it was recorded, and
 * which write stored it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param processor the processor that completed
 * @param completion what the processor said about its run
 * @param recordedAt when the tracker recorded it, by the tracker's clock; for documents written by
 *     an older orchestrator without a time, the document's last update time
 * @param writeId a random id made for the one {@link CompletionTracker#record} call that stored it,
 *     so that call recognises its own write when the store reported it as lost (a client retried a
 *     write that had landed) and answers {@link RecordOutcome#RECORDED} although the retry failed;
 *     empty for completions written by an older orchestrator
 */
public record RecordedCompletion(
    String processor, Completion completion, Instant recordedAt, String writeId) {
  /**
   * Validates and creates a recorded completion.
   *
   * @param processor the processor that completed
   * @param completion what the processor said about its run
   * @param recordedAt when the tracker recorded it, by the tracker's clock; for documents written
   *     by an older orchestrator without a time, the document's last update time
   * @param writeId a random id made for the one {@link CompletionTracker#record} call that stored
   *     it, so that call recognises its own write when the store reported it as lost (a client
   *     retried a write that had landed) and answers {@link RecordOutcome#RECORDED} although the
   *     retry failed; empty for completions written by an older orchestrator
   * @throws IllegalArgumentException if {@code processor} is not a valid processor name
   */
  public RecordedCompletion {
    ProcessorNames.check(processor);
    requireNonNull(completion, "completion");
    requireNonNull(recordedAt, "recordedAt");
    requireNonNull(writeId, "writeId");
  }

  /**
   * Creates a recorded completion without a write id, as an older orchestrator stored it.
   *
   * @param processor the processor that completed
   * @param completion what the processor said about its run
   * @param recordedAt when it was recorded
   * @throws IllegalArgumentException if {@code processor} is not a valid processor name
   */
  public RecordedCompletion(String processor, Completion completion, Instant recordedAt) {
    this(processor, completion, recordedAt, "");
  }

  /**
   * Whether {@code other} was stored by the same write as this one: both carry the same non-empty
   * write id.
   *
   * @param other a stored completion, or null
   * @return true only for the same non-empty write id
   */
  public boolean sameWriteAs(@Nullable RecordedCompletion other) {
    return other != null && !writeId.isEmpty() && writeId.equals(other.writeId);
  }
}
