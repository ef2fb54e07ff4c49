package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of a key's audit trail: who changed what, why, and when.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at when, by the tracker's clock
 * @param action what kind of change
 * @param actor who asked (see {@link Audit#actor()})
 * @param reason why (see {@link Audit#reason()})
 * @param processor the processor concerned, for {@link OverrideAction#MARK_COMPLETE}
 * @param detail what was changed, in words (for example {@code count 3 -> 5; claimed trigger
 *     phase3/2024-11-20/1})
 */
public record AuditEntry(
    Instant at,
    OverrideAction action,
    String actor,
    String reason,
    Optional<String> processor,
    String detail) {
  /**
   * Validates and creates an entry.
   *
   * @param at when, by the tracker's clock
   * @param action what kind of change
   * @param actor who asked (see {@link Audit#actor()})
   * @param reason why (see {@link Audit#reason()})
   * @param processor the processor concerned, for {@link OverrideAction#MARK_COMPLETE}
   * @param detail what was changed, in words (for example {@code count 3 -> 5; claimed trigger
   *     phase3/2024-11-20/1})
   * @throws IllegalArgumentException if the actor, reason or processor is invalid
   */
  public AuditEntry {
    requireNonNull(at, "at");
    requireNonNull(action, "action");
    Audit.by(actor, reason);
    requireNonNull(processor, "processor").ifPresent(ProcessorNames::check);
    requireNonNull(detail, "detail");
  }

  /**
   * Returns an entry for {@code audit} at {@code at}.
   *
   * @param at when the action happened
   * @param action what was done
   * @param audit who asked and why
   * @param processor the processor concerned, if any
   * @param detail what changed, in words
   * @return an entry for {@code audit} at {@code at}
   */
  public static AuditEntry of(
      Instant at, OverrideAction action, Audit audit, Optional<String> processor, String detail) {
    return new AuditEntry(at, action, audit.actor(), audit.reason(), processor, detail);
  }
}
