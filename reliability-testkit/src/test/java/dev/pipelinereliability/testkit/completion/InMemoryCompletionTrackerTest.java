package dev.pipelinereliability.testkit.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.TriggerPublisher;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class InMemoryCompletionTrackerTest extends CompletionTrackerContract {
  // A pause between read and write makes concurrent callers interleave as they do on a real store.
  private final InMemoryCompletionTracker.Store store =
      new InMemoryCompletionTracker.Store(() -> LockSupport.parkNanos(200_000));

  @Override
  protected CompletionTracker newTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    return InMemoryCompletionTracker.withStore(store, config, publisher, clock);
  }

  @Test
  void duplicateDeliveryClaimsTheTriggerAWriterCrashedBeforeClaiming() {
    // The last writer merged its completion and died before settling: all complete, count 4.
    CompletionKey key = CompletionKey.of("phase3", date());
    Map<String, RecordedCompletion> all = new HashMap<>();
    for (String p : PHASE3.expected()) {
      all.put(p, new RecordedCompletion(p, Completion.ofMessage("m-" + p), clock.instant()));
    }
    store.put(
        new CompletionState(
            key, PHASE3.expected(), all, OptionalInt.of(4), Optional.empty(), 0, List.of()));

    RecordResult redelivered =
        tracker().record(key, "team_offense", Completion.ofMessage("m-team_offense"));

    assertThat(redelivered.outcome()).isEqualTo(RecordOutcome.DUPLICATE);
    assertThat(redelivered.wonTrigger()).isTrue();
    assertThat(publisher.published()).hasSize(1);
    assertThat(tracker().state(key).storedCount()).hasValue(5);
  }
}
