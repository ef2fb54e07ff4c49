package dev.pipelinereliability.firestore.lock;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.testkit.lock.Hold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Shared settings and helpers of the emulator tests. */
final class FirestoreTesting {
  /** Short, because leases run on the emulator's real clock and tests must wait them out. */
  static final Duration LEASE = Duration.ofMillis(1500);

  private FirestoreTesting() {}

  /** Real time passes: the emulator's server clock judges leases, and no fake can move it. */
  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Acquires {@code key}, trying again when the store fails a call: the emulator answers UNKNOWN to
   * writes it could not schedule in time on a loaded machine. Nothing is held after such a failure,
   * so trying again cannot hide a safety problem; {@code storeFailures} counts them.
   */
  static LockHandle acquireThroughHiccups(
      DistributedLock lock, LockKey key, LockOptions options, AtomicInteger storeFailures) {
    for (int i = 0; ; i++) {
      try {
        return lock.acquire(key, options);
      } catch (LockUnavailableException hiccup) {
        storeFailures.incrementAndGet();
        if (i >= 20) {
          throw hiccup;
        }
      }
    }
  }

  /**
   * Works under the lock for 1-5 ms plus {@code stall}, then "commits" only if {@link
   * LockHandle#checkValid()} passes, as a careful holder does before its commit. Returns the
   * committed hold, or null when the holder learnt it had lost the lock (or could not confirm it).
   *
   * <p>The hold's end is taken before {@code checkValid()} is sent: the server reads later still
   * and found the lease live then, so the lock was held over the whole recorded interval.
   */
  static @Nullable Hold workThenCommit(LockHandle handle, Duration stall) {
    long start = System.nanoTime();
    sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 6)).plus(stall));
    long end = System.nanoTime();
    try {
      handle.checkValid();
    } catch (LockLostException | LockUnavailableException notConfirmed) {
      return null;
    }
    return new Hold(handle.fencingToken(), start, end);
  }

  /** A worker body that may throw; {@code thread} is its index. */
  interface Worker {
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code worker} on {@code threads} threads at once and waits at most {@code timeout} for
   * each; the first failure fails the test.
   */
  static void runConcurrently(int threads, Duration timeout, Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  worker.run(thread);
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
