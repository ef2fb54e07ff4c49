package dev.pipelinereliability.testkit.completion;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.completion.RecordResult;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A randomized check of the documented invariants: per seed, 5 processors x 12 deliveries mixing no
 * token and tokens 1 to 3, shuffled, from 8 threads over 8 trackers sharing one store, with about
 * one write answer in eight reported lost although the write landed.
 */
class CompletionStressTest {
  private static final PhaseConfig PHASE = PhaseConfig.of("phase3", "a", "b", "c", "d", "e");
  private static final CompletionConfig CONFIG = CompletionConfig.of(PHASE);
  private static final CompletionKey KEY = CompletionKey.of("phase3", LocalDate.of(2026, 2, 3));

  private record Delivery(String processor, OptionalLong token) {}

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void atMostOneRecordedPerTokenTheNewestStoredAndOneTriggerUnderLostAnswers(int seed)
      throws Exception {
    Random random = new Random(seed);
    List<Delivery> deliveries = new ArrayList<>();
    Map<String, Long> newest = new HashMap<>();
    for (String p : PHASE.expected()) {
      for (int i = 0; i < 12; i++) {
        int t = random.nextInt(4);
        deliveries.add(new Delivery(p, t == 0 ? OptionalLong.empty() : OptionalLong.of(t)));
        if (t > 0) {
          newest.merge(p, (long) t, Math::max);
        }
      }
    }
    Collections.shuffle(deliveries, random);

    AtomicReference<InMemoryCompletionTracker.Store> self = new AtomicReference<>();
    InMemoryCompletionTracker.Store store =
        new InMemoryCompletionTracker.Store(
            () -> {
              LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(300_000));
              if (ThreadLocalRandom.current().nextInt(8) == 0) {
                requireNonNull(self.get()).loseNextWriteResponses(1);
              }
            });
    self.set(store);
    FakeClock clock = FakeClock.create();
    RecordingTriggerPublisher publisher = new RecordingTriggerPublisher();
    List<CompletionTracker> trackers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      trackers.add(InMemoryCompletionTracker.withStore(store, CONFIG, publisher, clock));
    }

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<RecordResult> results = new ArrayList<>();
    try {
      List<Future<RecordResult>> futures = new ArrayList<>();
      for (int i = 0; i < deliveries.size(); i++) {
        Delivery d = deliveries.get(i);
        CompletionTracker t = trackers.get(i % trackers.size());
        Completion c =
            d.token().isPresent()
                ? Completion.withToken(d.token().getAsLong())
                : Completion.ofMessage("m-" + d.processor());
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return t.record(KEY, d.processor(), c);
                }));
      }
      start.countDown();
      for (Future<RecordResult> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> recorded = new HashMap<>();
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery d = deliveries.get(i);
      RecordResult r = results.get(i);
      String token = d.token().isPresent() ? String.valueOf(d.token().getAsLong()) : "none";
      if (r.outcome() == RecordOutcome.STALE) {
        assertThat(d.token()).as("a token-less completion is never stale").isPresent();
        assertThat(d.token().getAsLong()).isLessThan(newest.get(d.processor()));
      }
      if (r.outcome() == RecordOutcome.RECORDED) {
        recorded.merge(d.processor() + "@" + token, 1, Integer::sum);
      }
    }
    assertThat(recorded).allSatisfy((k, n) -> assertThat(n).as("RECORDED for " + k).isEqualTo(1));
    CompletionState s = store.read(KEY, PHASE).state();
    for (String p : PHASE.expected()) {
      if (newest.containsKey(p)) {
        assertThat(s.completion(p).orElseThrow().completion().fencingToken())
            .as("stored token of " + p)
            .hasValue(newest.get(p));
        assertThat(recorded)
            .as("the newest token of " + p)
            .containsEntry(p + "@" + newest.get(p), 1);
      } else {
        assertThat(recorded).as("token-less " + p).containsEntry(p + "@none", 1);
      }
    }
    assertThat(results.stream().filter(RecordResult::wonTrigger)).hasSize(1);
    assertThat(publisher.published()).hasSize(1);
    assertThat(s.storedCount()).hasValue(5);
    assertThat(s.trigger().orElseThrow().confirmed()).isTrue();
  }
}
