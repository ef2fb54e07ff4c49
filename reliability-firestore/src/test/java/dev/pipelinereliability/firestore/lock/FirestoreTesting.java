package dev.pipelinereliability.firestore.lock;

import java.time.Duration;

/** Shared settings of the emulator tests. */
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
}
