package dev.pipelinereliability.examples.ops;

import dev.pipelinereliability.lock.LockAdmin;

/**
 * What the command line operates on. {@link FirestoreOpsBackends} connects to Firestore (or its
 * emulator); tests pass the testkit's in-memory stores.
 */
public interface OpsBackends {
  /** The lock store's administration API. */
  LockAdmin locks();
}
