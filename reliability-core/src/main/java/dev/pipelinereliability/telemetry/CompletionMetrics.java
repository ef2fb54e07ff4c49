package dev.pipelinereliability.telemetry;

import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.EVENT;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.OUTCOME;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.PHASE;
import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.RecordOutcome;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Records what a completion tracker does, by phase: deliveries by outcome, first completions,
 * triggers claimed / published / re-published, the time from the first completion to the trigger,
 * and triggers claimed while processors were missing (a deadline or a forced trigger). Never the
 * date or the processor.
 *
 * <p>Thread-safe.
 */
public final class CompletionMetrics {

  /** A step in a trigger's life: the {@code event} attribute of the trigger counter. */
  public enum TriggerEvent {
    /** A new claim of a generation: exactly one per trigger id. */
    CLAIMED,
    /** The publisher returned for a first claim. */
    PUBLISHED,
    /** The publisher returned for a claim re-taken after it was left unconfirmed. */
    REPUBLISHED
  }

  private final LongCounter deliveries;
  private final LongCounter firstCompletions;
  private final LongCounter triggers;
  private final DoubleHistogram triggerDelay;
  private final LongCounter incompleteTriggers;
  private final LongCounter missingProcessors;
  private final AttributeTable<RecordOutcome> outcomeAttributes =
      new AttributeTable<>(PHASE, OUTCOME, RecordOutcome.class);
  private final AttributeTable<TriggerEvent> eventAttributes =
      new AttributeTable<>(PHASE, EVENT, TriggerEvent.class);

  CompletionMetrics(Meter meter) {
    deliveries =
        ReliabilityTelemetry.counter(
            meter,
            "completion.deliveries",
            "{delivery}",
            "Completions delivered to record or markComplete, by outcome");
    firstCompletions =
        ReliabilityTelemetry.counter(
            meter,
            "completion.first_completions",
            "{completion}",
            "Completions that were the first of their key before its trigger");
    triggers =
        ReliabilityTelemetry.counter(
            meter, "completion.triggers", "{trigger}", "Triggers claimed, published, re-published");
    triggerDelay =
        ReliabilityTelemetry.seconds(
            meter,
            "completion.trigger.delay",
            "Time from the first completion of a key to the claim of its trigger",
            List.of(
                1.0, 10.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 43200.0,
                86400.0, 172800.0));
    incompleteTriggers =
        ReliabilityTelemetry.counter(
            meter,
            "completion.incomplete_triggers",
            "{trigger}",
            "Triggers claimed while expected processors were missing (deadline or forced)");
    missingProcessors =
        ReliabilityTelemetry.counter(
            meter,
            "completion.missing_processors",
            "{processor}",
            "Processors missing when an incomplete trigger was claimed");
  }

  /**
   * Counts one delivery.
   *
   * @param phase the phase of the key
   * @param outcome what the tracker answered
   * @param first whether it was recorded while no other expected processor of its key had
   *     completed, before the key's trigger: the start of the wait for the trigger (a re-run of
   *     that one processor with a newer fencing token is such a completion again)
   * @throws NullPointerException if an argument is null
   */
  public void delivered(String phase, RecordOutcome outcome, boolean first) {
    requireNonNull(phase, "phase");
    requireNonNull(outcome, "outcome");
    deliveries.add(1, outcomeAttributes.get(phase, outcome));
    if (first) {
      firstCompletions.add(1, outcomeAttributes.get(phase));
    }
  }

  /**
   * Counts one new trigger claim.
   *
   * @param phase the phase of the key
   * @param sinceFirstCompletion time from the key's earliest stored completion to the claim (a
   *     re-run replaces its processor's completion and time), or null if it has none (a trigger
   *     forced with no completion)
   * @param missing how many expected processors were missing at the claim
   * @throws NullPointerException if {@code phase} is null
   * @throws IllegalArgumentException if {@code missing} is negative
   */
  public void triggerClaimed(String phase, @Nullable Duration sinceFirstCompletion, int missing) {
    requireNonNull(phase, "phase");
    ReliabilityTelemetry.checkCount("missing", missing);
    triggers.add(1, eventAttributes.get(phase, TriggerEvent.CLAIMED));
    if (sinceFirstCompletion != null) {
      triggerDelay.record(
          ReliabilityTelemetry.toSeconds(sinceFirstCompletion), eventAttributes.get(phase));
    }
    if (missing > 0) {
      incompleteTriggers.add(1, eventAttributes.get(phase));
      missingProcessors.add(missing, eventAttributes.get(phase));
    }
  }

  /**
   * Counts one trigger the publisher accepted.
   *
   * @param phase the phase of the key
   * @param republished whether it was a claim re-taken after it was left unconfirmed
   * @throws NullPointerException if {@code phase} is null
   */
  public void triggerPublished(String phase, boolean republished) {
    requireNonNull(phase, "phase");
    triggers.add(
        1,
        eventAttributes.get(
            phase, republished ? TriggerEvent.REPUBLISHED : TriggerEvent.PUBLISHED));
  }
}
