package dev.pipelinereliability.benchmarks;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** JMH methods behind {@link InMemoryLockSuite}; average time per acquire+release. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InMemoryLockJmh {
  private static final LockKey[] KEYS = {
    LockKey.of("phase3", "2024-11-20"), LockKey.of("phase3", "2024-11-21")
  };

  /** The shared store and mutexes every thread contends for. */
  @State(Scope.Benchmark)
  public static class Shared {
    final InMemoryDistributedLock locks = new InMemoryDistributedLock(FakeClock.create());
    final ReentrantLock[] mutexes = {new ReentrantLock(), new ReentrantLock()};
    final LockOptions options = LockOptions.ofDefaults();
    final AtomicInteger threads = new AtomicInteger();
  }

  /** Which of the two keys this thread uses: threads alternate, four per key with 8 threads. */
  @State(Scope.Thread)
  public static class PerThread {
    int key;

    /** Assigns keys round-robin. */
    @org.openjdk.jmh.annotations.Setup
    public void assign(Shared shared) {
      key = shared.threads.getAndIncrement() % 2;
    }
  }

  /** Acquire and release a free key: the fake's full bookkeeping. */
  @Benchmark
  @Threads(1)
  public long inMemoryLockUncontended(Shared shared) {
    try (LockHandle h = shared.locks.acquire(KEYS[0], shared.options)) {
      return h.fencingToken();
    }
  }

  /** Baseline: lock and unlock a free mutex. */
  @Benchmark
  @Threads(1)
  public boolean reentrantLockUncontended(Shared shared) {
    shared.mutexes[0].lock();
    try {
      return shared.mutexes[0].isHeldByCurrentThread();
    } finally {
      shared.mutexes[0].unlock();
    }
  }

  /** 8 threads, 2 keys, waiting acquisitions. */
  @Benchmark
  @Threads(8)
  public long inMemoryLockContended(Shared shared, PerThread me) {
    try (LockHandle h = shared.locks.acquire(KEYS[me.key], shared.options)) {
      return h.fencingToken();
    }
  }

  /** Baseline: 8 threads, 2 mutexes. */
  @Benchmark
  @Threads(8)
  public boolean reentrantLockContended(Shared shared, PerThread me) {
    ReentrantLock mutex = shared.mutexes[me.key];
    mutex.lock();
    try {
      return mutex.isHeldByCurrentThread();
    } finally {
      mutex.unlock();
    }
  }
}
