package dev.pipelinereliability.completion.reconcile;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.ProcessorNames;
import java.util.Optional;

/**
 * One disagreement between tracker state and reality, and what fix mode did about it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what is wrong
 * @param key the phase and date
 * @param processor the processor concerned, for per-processor findings
 * @param detail the facts, in words (for example {@code stored 3, derived 5})
 * @param fix what fix mode did (for example {@code count 3 -> 5}); empty in report mode and for
 *     findings fix mode does not repair
 */
public record Finding(
    FindingKind kind,
    CompletionKey key,
    Optional<String> processor,
    String detail,
    Optional<String> fix) {

  /**
   * Validates and creates a finding.
   *
   * @param kind what is wrong
   * @param key the phase and date
   * @param processor the processor concerned, for per-processor findings
   * @param detail the facts, in words (for example {@code stored 3, derived 5})
   * @param fix what fix mode did (for example {@code count 3 -> 5}); empty in report mode and for
   *     findings fix mode does not repair
   */
  public Finding {
    requireNonNull(kind, "kind");
    requireNonNull(key, "key");
    requireNonNull(processor, "processor").ifPresent(ProcessorNames::check);
    requireNonNull(detail, "detail");
    requireNonNull(fix, "fix");
  }

  /**
   * Returns this finding with {@code fix} recorded as what fix mode did.
   *
   * @param fix what fix mode did, in words
   * @return this finding with {@code fix} recorded as what fix mode did
   */
  public Finding fixedBy(String fix) {
    return new Finding(kind, key, processor, detail, Optional.of(requireNonNull(fix, "fix")));
  }
}
