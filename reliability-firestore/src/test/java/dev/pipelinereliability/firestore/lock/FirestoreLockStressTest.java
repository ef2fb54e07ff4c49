package dev.pipelinereliability.firestore.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.lock.HistoryChecker;
import dev.pipelinereliability.testkit.lock.Hold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many "processes" (each thread its own client and lock) contend for two keys, each hold a real
 * work window of 1-5 ms. Every committed hold is recorded with its token and real start and end
 * times; the history must show no overlap and strictly increasing tokens per key.
 */
class FirestoreLockStressTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final LockKey[] KEYS = {
    LockKey.of("stress", "2024-11-20"), LockKey.of("stress", "2024-11-21")
  };

  @Test
  void eightThreadsOnTwoKeysNeverOverlapAndTokensStrictlyIncrease() throws Exception {
    int threads = 8;
    int perThread = 64;
    List<List<Hold>> histories = List.of(new ArrayList<>(), new ArrayList<>());
    int[] counters = new int[2];
    // A lease far longer than a hold: any takeover here would be a bug, not an expiry.
    LockOptions options =
        LockOptions.builder()
            .leaseDuration(Duration.ofSeconds(30))
            .maxWait(Duration.ofMinutes(5))
            .build();
    contend(
        threads,
        perThread,
        options,
        (t, i, h) -> {
          int k = t % 2;
          int read = counters[k]; // deliberately unsynchronized: the lock guards it
          Hold hold = FirestoreTesting.workThenCommit(h, Duration.ZERO);
          counters[k] = read + 1;
          assertThat(hold).as("a 30 s lease outlives a hold of a few ms").isNotNull();
          synchronized (histories) {
            histories.get(k).add(hold);
          }
        });

    synchronized (histories) {
      for (int k = 0; k < 2; k++) {
        List<Hold> history = histories.get(k);
        assertThat(history).hasSize(threads / 2 * perThread).hasSizeGreaterThanOrEqualTo(250);
        assertThat(counters[k]).isEqualTo(history.size());
        assertThat(HistoryChecker.violations(history))
            .as("overlaps or non-increasing tokens under %s", KEYS[k])
            .isEmpty();
      }
    }
  }

  @Test
  void withShortLeasesHoldersThatStallPastTheirLeaseFailCheckValidAndNeverOverlapTakers()
      throws Exception {
    int threads = 6;
    int perThread = 16;
    Duration lease = Duration.ofSeconds(1);
    Duration stall = lease.plusMillis(300);
    List<List<Hold>> histories = List.of(new ArrayList<>(), new ArrayList<>());
    AtomicInteger stalls = new AtomicInteger();
    AtomicInteger stalledCommits = new AtomicInteger();
    AtomicInteger uncommitted = new AtomicInteger();
    LockOptions options =
        LockOptions.builder().leaseDuration(lease).maxWait(Duration.ofMinutes(2)).build();
    contend(
        threads,
        perThread,
        options,
        (t, i, h) -> {
          // Each thread stalls once, at a different point: its lease runs out, a waiter (or the
          // next acquisition) takes the lock over by expiry, and the staller must notice.
          boolean stalling = i == 3 + t;
          Hold hold = FirestoreTesting.workThenCommit(h, stalling ? stall : Duration.ZERO);
          if (stalling) {
            stalls.incrementAndGet();
            if (hold != null) {
              stalledCommits.incrementAndGet();
            }
          }
          if (hold == null) {
            uncommitted.incrementAndGet();
            return;
          }
          synchronized (histories) {
            histories.get(t % 2).add(hold);
          }
        });

    assertThat(stalls).hasValue(threads);
    assertThat(stalledCommits)
        .as("holders that stalled past the lease and still committed")
        .hasValue(0);
    synchronized (histories) {
      int committed = histories.get(0).size() + histories.get(1).size();
      assertThat(committed + uncommitted.get()).isEqualTo(threads * perThread);
      for (int k = 0; k < 2; k++) {
        assertThat(histories.get(k)).as("committed holds under %s", KEYS[k]).isNotEmpty();
        assertThat(HistoryChecker.violations(histories.get(k)))
            .as("overlaps or non-increasing tokens under %s", KEYS[k])
            .isEmpty();
      }
    }
  }

  /** What a thread does under one hold of its key; {@code thread} is its index. */
  private interface UnderHold {
    void run(int thread, int iteration, LockHandle handle) throws Exception;
  }

  /**
   * Each of {@code threads} threads, a "process" with its own client and lock, acquires the key of
   * its parity {@code perThread} times and runs {@code body} under each hold.
   */
  private static void contend(int threads, int perThread, LockOptions options, UnderHold body)
      throws Exception {
    FirestoreTesting.runConcurrently(
        threads,
        Duration.ofMinutes(10),
        t -> {
          FirestoreDistributedLock lock = FirestoreDistributedLock.create(EMULATOR.newClient());
          AtomicInteger storeFailures = new AtomicInteger();
          for (int i = 0; i < perThread; i++) {
            try (LockHandle h =
                FirestoreTesting.acquireThroughHiccups(lock, KEYS[t % 2], options, storeFailures)) {
              body.run(t, i, h);
            }
          }
        });
  }
}
