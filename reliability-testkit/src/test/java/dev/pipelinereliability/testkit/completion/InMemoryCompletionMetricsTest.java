package dev.pipelinereliability.testkit.completion;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.testkit.telemetry.CompletionMetricsContract;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.concurrent.locks.LockSupport;

/** The completion metrics contract on the in-memory tracker, every instance over one store. */
class InMemoryCompletionMetricsTest extends CompletionMetricsContract {
  // A pause between read and write makes concurrent callers interleave as they do on a real store.
  private final InMemoryCompletionTracker.Store store =
      new InMemoryCompletionTracker.Store(() -> LockSupport.parkNanos(200_000));

  @Override
  protected CompletionTracker newTracker(
      CompletionConfig config,
      TriggerPublisher publisher,
      OpenTelemetry openTelemetry,
      Clock clock) {
    return InMemoryCompletionTracker.withStore(store, config, publisher, openTelemetry, clock);
  }
}
