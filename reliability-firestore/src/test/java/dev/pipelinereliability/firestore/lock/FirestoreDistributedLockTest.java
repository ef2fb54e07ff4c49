package dev.pipelinereliability.firestore.lock;

import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.lock.DistributedLockContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole {@link DistributedLockContract} on the Firestore emulator. Each "instance" is a new
 * lock object over one of three independent clients (three channels, as three processes would
 * have). Leases are real server time, so they are short and {@link #elapse} sleeps.
 */
class FirestoreDistributedLockTest extends DistributedLockContract {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static List<Firestore> clients;
  private int next;

  @BeforeAll
  static void clients() {
    clients = List.of(EMULATOR.firestore(), EMULATOR.newClient(), EMULATOR.newClient());
  }

  @Override
  protected DistributedLock newInstance() {
    return FirestoreDistributedLock.create(clients.get(next++ % clients.size()));
  }

  @Override
  protected void elapse(Duration duration) {
    FirestoreTesting.sleep(duration);
  }

  @Override
  protected Duration lease() {
    return FirestoreTesting.LEASE;
  }

  @Override
  protected int fuzzAcquisitionsPerThread() {
    // The full stress run (>= 250 acquisitions per key) is FirestoreLockStressTest.
    return 10;
  }
}
