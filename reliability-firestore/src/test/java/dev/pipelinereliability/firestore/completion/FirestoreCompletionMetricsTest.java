package dev.pipelinereliability.firestore.completion;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.telemetry.CompletionMetricsContract;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The completion metrics contract on the real Firestore emulator: the points the in-memory tracker
 * reports, from the Firestore tracker, each instance on a client of its own.
 */
class FirestoreCompletionMetricsTest extends CompletionMetricsContract {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  @Override
  protected CompletionTracker newTracker(
      CompletionConfig config,
      TriggerPublisher publisher,
      OpenTelemetry openTelemetry,
      Clock clock) {
    return FirestoreCompletionTracker.builder(EMULATOR.newClient(), config, publisher)
        .clock(clock)
        .openTelemetry(openTelemetry)
        .build();
  }
}
