package dev.pipelinereliability.firestore.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client retries a commit whose response was lost (UNAVAILABLE); when the first attempt had
 * landed, the retry fails its own precondition (ALREADY_EXISTS, FAILED_PRECONDITION) although the
 * write is ours. A {@link LockStore.WriteSender} replays every write the same way on the real
 * emulator: it sends the write, waits until it landed, sends it again and hands the caller the
 * retry's real failure.
 */
class FirestoreLockRetriedWriteTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  /** Long: a fresh client's first calls are slow, and nothing here waits for an expiry. */
  private static final LockOptions LONG =
      LockOptions.builder().leaseDuration(Duration.ofSeconds(30)).build();

  @Test
  void writesThatLandedBeforeTheClientRetriedThemAreRecognisedAsOwn() {
    LockKey key = LockKey.of("retried", "2024-11-20");
    AtomicInteger replaysRejected = new AtomicInteger();
    FirestoreDistributedLock replaying =
        FirestoreDistributedLock.builder(EMULATOR.newClient())
            .writeSender(write -> replayed(write, replaysRejected))
            .build();
    FirestoreDistributedLock other = FirestoreDistributedLock.create(EMULATOR.newClient());
    AtomicReference<LockLostException> told = new AtomicReference<>();
    LockOptions options = LONG.toBuilder().onLockLost((h, why) -> told.set(why)).build();

    LockHandle created = replaying.tryAcquire(key, options).orElseThrow(); // create() path
    created.checkValid();
    assertThat(other.tryAcquire(key, LONG)).as("while the first acquisition holds").isEmpty();
    created.renew();
    created.checkValid();
    created.close();
    LockHandle takenOver = replaying.tryAcquire(key, options).orElseThrow(); // update() path
    assertThat(takenOver.fencingToken()).isEqualTo(created.fencingToken() + 1);
    takenOver.checkValid();
    takenOver.close();

    assertThat(replaysRejected)
        .as("every replay (create, renewal, release, takeover, release) met its own write")
        .hasValue(5);
    assertThat(told.get()).as("no acquisition was reported lost").isNull();
    LockHandle next = other.tryAcquire(key, LONG).orElseThrow(); // both releases landed
    assertThat(next.fencingToken()).isEqualTo(takenOver.fencingToken() + 1);
    next.close();
  }

  /** Sends {@code write}, waits for it to land, then sends it again as a retry would. */
  private static ApiFuture<WriteResult> replayed(
      java.util.function.Supplier<ApiFuture<WriteResult>> write, AtomicInteger rejected) {
    try {
      write.get().get(10, TimeUnit.SECONDS);
      ApiFuture<WriteResult> retry = write.get();
      try {
        retry.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException expected) {
        rejected.incrementAndGet();
      }
      return retry;
    } catch (Exception e) {
      throw new AssertionError("the first attempt of a replayed write failed", e);
    }
  }

  @Test
  void aRenewalWithBackgroundRenewalGetsAThirdOfTheLeaseAsItsDeadline() {
    assertThat(LockStore.renewalDeadline(Duration.ofSeconds(10), LockOptions.MIN_RENEWABLE_LEASE))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(LockStore.renewalDeadline(Duration.ofSeconds(10), Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofSeconds(10));
  }
}
