package dev.pipelinereliability.examples.config;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.PhaseConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One phase of the pipeline file: what completion tracking expects, where its trigger goes, and
 * which table each processor writes (the reconciler's evidence that a processor ran).
 *
 * <p>Immutable and thread-safe.
 *
 * @param config the expected processors and the optional deadline policy
 * @param triggerTopic the Pub/Sub topic (short name) on which this phase's completion trigger is
 *     published for the next phase
 * @param outputTables processor name to the name of an entry of the file's {@code tables}, for the
 *     processors that name one
 */
public record PhaseSpec(PhaseConfig config, String triggerTopic, Map<String, String> outputTables) {
  /**
   * Creates the spec.
   *
   * @param config the expected processors and the optional deadline policy
   * @param triggerTopic the Pub/Sub topic on which this phase's trigger is published
   * @param outputTables processor name to the name of an entry of the file's {@code tables}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an output table is given for a processor the phase does not
   *     expect
   */
  public PhaseSpec {
    requireNonNull(config, "config");
    requireNonNull(triggerTopic, "triggerTopic");
    outputTables = Collections.unmodifiableMap(new LinkedHashMap<>(outputTables));
    for (String processor : outputTables.keySet()) {
      if (!config.expects(processor)) {
        throw new IllegalArgumentException(
            "phase " + config.phase() + " does not expect processor '" + processor + "'");
      }
    }
  }

  /**
   * Returns the phase name.
   *
   * @return the name, such as {@code phase3}
   */
  public String name() {
    return config.phase();
  }
}
