package dev.pipelinereliability.examples.replay;

import java.util.List;

/**
 * The measured result of one replay run, naive or with the library. Every number is counted from
 * the state the run left behind, never assumed.
 *
 * @param tables per-table row and key counts
 * @param storedCount the completion count the orchestrator stored
 * @param realCount processors whose data actually landed
 * @param expectedCount processors the phase expects
 * @param triggers downstream (Phase 4) triggers fired
 * @param deliveries completion message deliveries the orchestrator handled
 * @param lostCompletions deliveries the orchestrator dropped
 * @param skippedByLock processor runs that found the date locked and skipped
 * @param healthFindings issues the pipeline's health checks found during the run, one line each
 * @param staleWrite what became of a stalled holder's late commit after another instance took its
 *     lock over and wrote the date, as the run observed it
 */
public record Outcome(
    List<TableOutcome> tables,
    long storedCount,
    long realCount,
    int expectedCount,
    int triggers,
    int deliveries,
    int lostCompletions,
    int skippedByLock,
    List<String> healthFindings,
    String staleWrite) {

  /** Duplicate rows over every table. */
  public int duplicateRows() {
    return tables.stream().mapToInt(TableOutcome::duplicateRows).sum();
  }
}
