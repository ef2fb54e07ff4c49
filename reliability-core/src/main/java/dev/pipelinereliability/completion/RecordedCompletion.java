package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A completion as the store holds it: which processor, what it said, and when it was recorded.
 *
 * <p>Immutable and thread-safe.
 *
 * @param processor the processor that completed
 * @param completion what the processor said about its run
 * @param recordedAt when the tracker recorded it, by the tracker's clock; for documents written by
 *     an older orchestrator without a time, the document's last update time
 */
public record RecordedCompletion(String processor, Completion completion, Instant recordedAt) {
  /**
   * Validates and creates a recorded completion.
   *
   * @throws IllegalArgumentException if {@code processor} is not a valid processor name
   */
  public RecordedCompletion {
    ProcessorNames.check(processor);
    requireNonNull(completion, "completion");
    requireNonNull(recordedAt, "recordedAt");
  }
}
