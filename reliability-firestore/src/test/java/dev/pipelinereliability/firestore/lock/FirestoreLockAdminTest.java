package dev.pipelinereliability.firestore.lock;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.lock.LockAdminContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link LockAdminContract} on the Firestore emulator; admin and holders use separate clients.
 */
class FirestoreLockAdminTest extends LockAdminContract {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  @Override
  protected DistributedLock newInstance() {
    return FirestoreDistributedLock.create(EMULATOR.firestore());
  }

  @Override
  protected LockAdmin admin() {
    return FirestoreDistributedLock.create(EMULATOR.newClient());
  }

  @Override
  protected void elapse(Duration duration) {
    FirestoreTesting.sleep(duration);
  }

  @Override
  protected Duration lease() {
    return FirestoreTesting.LEASE;
  }
}
