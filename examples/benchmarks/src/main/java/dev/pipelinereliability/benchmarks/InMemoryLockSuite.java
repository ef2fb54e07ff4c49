package dev.pipelinereliability.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The in-memory lock against {@link java.util.concurrent.locks.ReentrantLock}, the cheapest
 * in-process mutual exclusion: uncontended acquire+release, and 8 threads contending for 2 keys.
 * The ratios say what the fake's lease, token and owner bookkeeping cost over a bare mutex.
 */
final class InMemoryLockSuite implements Suite {

  @Override
  public void run(Results results) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(InMemoryLockJmh.class.getName())
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .build();
    double lockUncontended = 0;
    double baseUncontended = 0;
    double lockContended = 0;
    double baseContended = 0;
    for (RunResult r : new Runner(options).run()) {
      String method = r.getParams().getBenchmark();
      double nanos = r.getPrimaryResult().getScore();
      if (method.endsWith(".inMemoryLockUncontended")) {
        lockUncontended = nanos;
      } else if (method.endsWith(".reentrantLockUncontended")) {
        baseUncontended = nanos;
      } else if (method.endsWith(".inMemoryLockContended")) {
        lockContended = nanos;
      } else if (method.endsWith(".reentrantLockContended")) {
        baseContended = nanos;
      }
    }
    results.report("inmemory_lock_uncontended_acquire_release", lockUncontended, "ns/op");
    results.report("reentrantlock_uncontended_lock_unlock", baseUncontended, "ns/op");
    results.report(
        "inmemory_lock_uncontended_ratio", lockUncontended / baseUncontended, "x_vs_reentrantlock");
    results.report("inmemory_lock_8threads_2keys", lockContended, "ns/op");
    results.report("reentrantlock_8threads_2keys", baseContended, "ns/op");
    results.report(
        "inmemory_lock_contended_ratio", lockContended / baseContended, "x_vs_reentrantlock");
  }
}
