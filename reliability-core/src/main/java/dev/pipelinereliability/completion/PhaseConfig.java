package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one phase expects: the processors whose completion triggers the next phase, and an optional
 * {@link DeadlinePolicy}.
 *
 * <p>Rules: the phase name follows {@link CompletionKey}; 1 to {@value #MAX_PROCESSORS} expected
 * processors, valid names ({@link ProcessorNames}), no repeats; a deadline policy's minimum is at
 * most the number of expected processors.
 *
 * <p>Immutable and thread-safe.
 *
 * @param phase the phase name, for example {@code "phase3"}
 * @param expected the processors that must complete, in the order given
 * @param deadline when to stop waiting for the last ones, if ever
 */
public record PhaseConfig(String phase, Set<String> expected, Optional<DeadlinePolicy> deadline) {
  /** Most processors one phase may expect. */
  public static final int MAX_PROCESSORS = 500;

  /**
   * Validates and creates a phase configuration; prefer {@link #of(String, String...)}.
   *
   * @param phase the phase name, for example {@code "phase3"}
   * @param expected the processors that must complete, in the order given
   * @param deadline when to stop waiting for the last ones, if ever
   * @throws IllegalArgumentException if a rule above is broken; the message names the bad value
   */
  public PhaseConfig {
    CompletionKey.checkPhase(phase);
    requireNonNull(expected, "expected");
    requireNonNull(deadline, "deadline");
    if (expected.isEmpty() || expected.size() > MAX_PROCESSORS) {
      throw new IllegalArgumentException(
          "phase "
              + phase
              + " must expect 1-"
              + MAX_PROCESSORS
              + " processors, but expected "
              + expected.size());
    }
    expected.forEach(ProcessorNames::check);
    expected = Collections.unmodifiableSet(new LinkedHashSet<>(expected));
    if (deadline.isPresent() && deadline.get().minimumProcessors() > expected.size()) {
      throw new IllegalArgumentException(
          "deadline minimumProcessors of phase "
              + phase
              + " must be at most the "
              + expected.size()
              + " expected processors, but was "
              + deadline.get().minimumProcessors());
    }
  }

  /**
   * Returns the configuration of {@code phase} expecting {@code processors}, without a deadline.
   *
   * @param phase the phase name
   * @param processors the expected processors, in order
   * @return the configuration of {@code phase} expecting {@code processors}, without a deadline
   * @throws IllegalArgumentException if a name is invalid or repeated, or none is given
   */
  public static PhaseConfig of(String phase, String... processors) {
    return of(phase, List.of(processors));
  }

  /**
   * Returns the configuration of {@code phase} expecting {@code processors}, without a deadline.
   *
   * @param phase the phase name
   * @param processors the expected processors, in order
   * @return the configuration of {@code phase} expecting {@code processors}, without a deadline
   * @throws IllegalArgumentException if a name is invalid or repeated, or none is given
   */
  public static PhaseConfig of(String phase, List<String> processors) {
    Set<String> set = new LinkedHashSet<>();
    for (String p : processors) {
      if (!set.add(requireNonNull(p, "processor"))) {
        throw new IllegalArgumentException(
            "processor '" + p + "' is listed twice for phase " + phase);
      }
    }
    return new PhaseConfig(phase, set, Optional.empty());
  }

  /**
   * Returns this configuration with {@code policy}.
   *
   * @param policy the deadline policy
   * @return this configuration with {@code policy}
   * @throws IllegalArgumentException if the policy's minimum exceeds the expected processors
   */
  public PhaseConfig withDeadline(DeadlinePolicy policy) {
    return new PhaseConfig(phase, expected, Optional.of(requireNonNull(policy, "policy")));
  }

  /**
   * Whether {@code processor} is one of this phase's expected processors.
   *
   * @param processor a processor name
   * @return whether {@code processor} is one of this phase's expected processors
   */
  public boolean expects(String processor) {
    return expected.contains(processor);
  }
}
