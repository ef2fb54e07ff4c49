package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;

/**
 * What one {@link LockedProcessor#run(LocalDate)} did.
 *
 * @param processor the processor's name
 * @param date the date
 * @param status what happened
 * @param rowsWritten rows written (0 unless {@link Status#WROTE})
 * @param duplicatesRemoved rows the dedup step removed before the write
 * @param fencingToken the lock token the run held (0 if it did not hold the lock)
 */
public record RunResult(
    String processor,
    LocalDate date,
    Status status,
    int rowsWritten,
    int duplicatesRemoved,
    long fencingToken) {

  /** What a run did. */
  public enum Status {
    /** Held the lock, wrote the partition, validated it clean and announced completion. */
    WROTE,
    /** Another instance held the date; nothing to do, reported as success (Phase 3 and 4). */
    SKIPPED_LOCKED
  }

  static RunResult skipped(String processor, LocalDate date) {
    return new RunResult(processor, date, Status.SKIPPED_LOCKED, 0, 0, 0);
  }
}
