package dev.pipelinereliability.firestore.completion;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.completion.CompletionTrackerContract;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tracker contract on the real Firestore emulator, each tracker on a client of its own. */
class FirestoreCompletionTrackerTest extends CompletionTrackerContract {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  @Override
  protected CompletionTracker newTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    return FirestoreCompletionTracker.builder(EMULATOR.newClient(), config, publisher)
        .clock(clock)
        .build();
  }
}
