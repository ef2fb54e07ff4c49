package dev.pipelinereliability.lock.spi;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one daemon thread that runs the expiry watches of every {@link AbstractLockHandle}. A thread
 * of its own, because the watches never block and must not wait behind renewals that do (a renewal
 * can block for its whole RPC deadline).
 */
final class LeaseWatchThread {
  static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

  private LeaseWatchThread() {}

  private static ScheduledThreadPoolExecutor newExecutor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "pipeline-reliability-lease-watch");
              t.setDaemon(true);
              return t;
            });
    // A closed handle's watch is cancelled; drop it at once rather than keep the handle reachable
    // until the end of its lease.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
