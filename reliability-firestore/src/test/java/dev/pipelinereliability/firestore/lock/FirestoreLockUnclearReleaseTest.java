package dev.pipelinereliability.firestore.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release that the store answers with UNKNOWN (2 of 10,003 in a soak of 8 contending clients on
 * the emulator) may or may not have landed. The handle confirms it by a re-read and retries it
 * within one more call deadline, so a finished run frees its key at once instead of leaving it
 * blocked for the rest of its lease; only a release that keeps failing is logged, in one line.
 *
 * <p>A {@link LockStore.WriteSender} answers chosen writes with the UNKNOWN status, after sending
 * them (the write landed) or without (it did not), against the real emulator.
 */
class FirestoreLockUnclearReleaseTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  /** Long, so that only a release, never an expiry, can free the key during a test. */
  private static final LockOptions LONG =
      LockOptions.builder().leaseDuration(Duration.ofSeconds(60)).build();

  /** Writes are numbered from 1: the acquisition is write 1, the release write 2. */
  private static final int RELEASE = 2;

  @Test
  void aReleaseAnsweredUnknownThatLandedIsConfirmedByAReReadAndFreesTheKey() {
    LockKey key = LockKey.of("unclear-release", "landed");
    FirestoreDistributedLock lock =
        lockFailing(Set.of(RELEASE), true, Duration.ofSeconds(10)).build();
    LockHandle holder = lock.tryAcquire(key, LONG).orElseThrow();

    List<String> warnings = warningsDuring(holder::close);

    LockHandle next = other().tryAcquire(key, LONG).orElseThrow();
    assertThat(next.fencingToken()).isEqualTo(holder.fencingToken() + 1);
    assertThat(warnings).as("a confirmed release is no failure").isEmpty();
    next.close();
  }

  @Test
  void aReleaseAnsweredUnknownThatDidNotLandIsRetriedAndFreesTheKey() {
    LockKey key = LockKey.of("unclear-release", "not-landed");
    FirestoreDistributedLock lock =
        lockFailing(Set.of(RELEASE, RELEASE + 1), false, Duration.ofSeconds(10)).build();
    LockHandle holder = lock.tryAcquire(key, LONG).orElseThrow();

    List<String> warnings = warningsDuring(holder::close);

    LockHandle next = other().tryAcquire(key, LONG).orElseThrow();
    assertThat(next.fencingToken()).isEqualTo(holder.fencingToken() + 1);
    assertThat(warnings).as("the third release attempt landed").isEmpty();
    next.close();
  }

  @Test
  void aReleaseThatKeepsFailingGivesUpWithinOneMoreDeadlineAndLogsOneLineWithItsCause() {
    LockKey key = LockKey.of("unclear-release", "keeps-failing");
    Duration rpcTimeout = Duration.ofSeconds(3);
    List<Duration> waits = new CopyOnWriteArrayList<>();
    FirestoreDistributedLock lock =
        lockFailing(Set.of(2, 3, 4, 5, 6, 7, 8, 9), false, rpcTimeout)
            .sleeper(
                wait -> {
                  waits.add(wait);
                  Sleeper.system().sleep(wait);
                })
            .build();
    LockHandle holder = lock.tryAcquire(key, LONG).orElseThrow();

    long start = System.nanoTime();
    List<String> warnings = warningsDuring(holder::close);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("one more rpcTimeout plus room").isLessThan(rpcTimeout.plusSeconds(3));
    assertThat(other().tryAcquire(key, LONG)).as("never released: the lease decides").isEmpty();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("Could not release lock " + key)
        .contains("token " + holder.fencingToken())
        .contains("UNKNOWN");
    assertThat(waits)
        .as("the confirmations back off from 50 ms, doubling, on the lock's sleeper")
        .startsWith(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  private static FirestoreDistributedLock other() {
    return FirestoreDistributedLock.create(EMULATOR.firestore());
  }

  /**
   * A lock whose writes numbered in {@code failing} are answered UNKNOWN; with {@code sendFirst}
   * each is sent and lands before the answer, as when the response is lost.
   */
  private static FirestoreDistributedLock.Builder lockFailing(
      Set<Integer> failing, boolean sendFirst, Duration rpcTimeout) {
    AtomicInteger writes = new AtomicInteger();
    return FirestoreDistributedLock.builder(EMULATOR.newClient())
        .rpcTimeout(rpcTimeout)
        .writeSender(write -> send(write, failing.contains(writes.incrementAndGet()), sendFirst));
  }

  private static ApiFuture<WriteResult> send(
      Supplier<ApiFuture<WriteResult>> write, boolean fail, boolean sendFirst) {
    if (!fail) {
      return write.get();
    }
    if (sendFirst) {
      try {
        write.get().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the write to be answered UNKNOWN failed itself", e);
      }
    }
    return ApiFutures.immediateFailedFuture(
        ApiExceptionFactory.createException(
            "UNKNOWN: transaction could not be scheduled in time",
            null,
            GrpcStatusCode.of(Status.Code.UNKNOWN),
            false));
  }

  /**
   * Runs {@code action} and returns the WARN and ERROR lines logged meanwhile; the test's
   * slf4j-simple writes to whatever {@code System.err} is at the time of each line.
   */
  static List<String> warningsDuring(Runnable action) {
    return LogCapture.linesDuring(action).stream()
        .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
        .toList();
  }
}
