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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 8 threads, each its own client and lock (8 "processes"), over 2 keys, 64 acquisitions each: 256
 * acquisitions per key. Every hold is recorded with its token and real start and end times; the
 * history must show no overlap and strictly increasing tokens per key.
 */
class FirestoreLockStressTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final int THREADS = 8;
  private static final int PER_THREAD = 64;

  @Test
  void eightThreadsOnTwoKeysNeverOverlapAndTokensStrictlyIncrease() throws Exception {
    LockKey[] keys = {LockKey.of("stress", "2024-11-20"), LockKey.of("stress", "2024-11-21")};
    List<List<Hold>> histories = List.of(new ArrayList<>(), new ArrayList<>());
    int[] counters = new int[2];
    // A lease far longer than a hold: any takeover would be a bug, not an expiry.
    LockOptions options =
        LockOptions.builder()
            .leaseDuration(Duration.ofSeconds(30))
            .maxWait(Duration.ofMinutes(5))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int k = t % 2;
        FirestoreDistributedLock lock = new FirestoreDistributedLock(EMULATOR.newClient());
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < PER_THREAD; i++) {
                    try (LockHandle h = lock.acquire(keys[k], options)) {
                      long start = System.nanoTime();
                      int read = counters[k]; // deliberately unsynchronized: the lock guards it
                      Thread.yield();
                      counters[k] = read + 1;
                      long end = System.nanoTime();
                      synchronized (histories) {
                        histories.get(k).add(new Hold(h.fencingToken(), start, end));
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    synchronized (histories) {
      for (int k = 0; k < 2; k++) {
        List<Hold> history = histories.get(k);
        assertThat(history).hasSize(THREADS / 2 * PER_THREAD).hasSizeGreaterThanOrEqualTo(250);
        assertThat(counters[k]).isEqualTo(history.size());
        assertThat(HistoryChecker.violations(history))
            .as("overlaps or non-increasing tokens under %s", keys[k])
            .isEmpty();
      }
    }
  }
}
