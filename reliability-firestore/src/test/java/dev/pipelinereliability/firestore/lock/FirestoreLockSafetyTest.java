package dev.pipelinereliability.firestore.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.lock.HistoryChecker;
import dev.pipelinereliability.testkit.lock.Hold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenarios beyond the contract that only a real store can show: clock skew between instances, a
 * holder that stalls, keys Firestore would reject as ids, and what the lock document keeps.
 */
class FirestoreLockSafetyTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final Duration LEASE = FirestoreTesting.LEASE;
  private static final LockOptions SHORT = LockOptions.builder().leaseDuration(LEASE).build();

  /**
   * For holders whose lease must not run out during the test's own steps: on a loaded 2-core
   * machine a few calls can take longer than {@link #LEASE}.
   */
  private static final LockOptions LONG =
      LockOptions.builder().leaseDuration(Duration.ofSeconds(30)).build();

  private static FirestoreDistributedLock lockWithClockOffset(Firestore client, Duration offset) {
    return FirestoreDistributedLock.builder(client)
        .clock(Clock.offset(Clock.systemUTC(), offset))
        .build();
  }

  /** A holder on a client of its own that puts in {@code told} why it lost the lock. */
  private static LockHandle holderTellingLoss(
      LockKey key, AtomicReference<LockLostException> told) {
    return FirestoreDistributedLock.create(EMULATOR.newClient())
        .tryAcquire(key, SHORT.toBuilder().onLockLost((h, why) -> told.set(why)).build())
        .orElseThrow();
  }

  @Test
  void instancesWhoseClocksDifferByFiveMinutesNeverHoldTogether() {
    LockKey key = LockKey.of("skew", "2024-11-20");
    FirestoreDistributedLock behind =
        lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(-5));
    FirestoreDistributedLock ahead =
        lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(5));

    // A clock 5 minutes ahead would call a lease 2 s old long expired if it judged leases.
    LockHandle first = behind.tryAcquire(key, SHORT).orElseThrow();
    assertThat(ahead.tryAcquire(key, SHORT)).as("ahead while behind holds").isEmpty();
    first.checkValid();

    // A clock 5 minutes behind would wait 5 minutes too long; server time hands over on time.
    long waitStart = System.nanoTime();
    LockHandle second = ahead.acquire(key, SHORT.withMaxWait(Duration.ofSeconds(30)));
    Duration waited = Duration.ofNanos(System.nanoTime() - waitStart);
    assertThat(waited).isLessThan(LEASE.plusSeconds(2));
    assertThatThrownBy(first::checkValid).isInstanceOf(LockLostException.class);
    assertThat(behind.tryAcquire(key, SHORT)).as("behind while ahead holds").isEmpty();
    second.close();

    LockHandle third = behind.tryAcquire(key, SHORT).orElseThrow();
    assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
    third.close();
  }

  @Test
  void skewedInstancesContendingNeverOverlap() throws Exception {
    LockKey key = LockKey.of("skew", "contended");
    List<FirestoreDistributedLock> locks =
        List.of(
            lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(-5)),
            lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(5)),
            lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(-5)),
            lockWithClockOffset(EMULATOR.newClient(), Duration.ofMinutes(5)));
    List<Hold> holds = new ArrayList<>();
    AtomicInteger uncommitted = new AtomicInteger();
    AtomicInteger storeFailures = new AtomicInteger();
    FirestoreTesting.runConcurrently(
        locks.size(),
        Duration.ofMinutes(5),
        t -> {
          for (int i = 0; i < 15; i++) {
            try (LockHandle h =
                FirestoreTesting.acquireThroughHiccups(
                    locks.get(t), key, SHORT.withMaxWait(Duration.ofMinutes(2)), storeFailures)) {
              Hold hold = FirestoreTesting.workThenCommit(h, Duration.ZERO);
              synchronized (holds) {
                if (hold == null) {
                  uncommitted.incrementAndGet();
                } else {
                  holds.add(hold);
                }
              }
            }
          }
        });

    synchronized (holds) {
      assertThat(holds.size() + uncommitted.get()).isEqualTo(60);
      assertThat(holds).isNotEmpty();
      assertThat(HistoryChecker.violations(holds)).isEmpty();
    }
  }

  @Test
  void aStalledHolderLosesToAWaiterAndLearnsItAtCheckValid() throws Exception {
    LockKey key = LockKey.of("stall", "check");
    AtomicReference<LockLostException> told = new AtomicReference<>();
    LockHandle stalled = holderTellingLoss(key, told);
    FirestoreDistributedLock waiterLock = FirestoreDistributedLock.create(EMULATOR.newClient());

    CompletableFuture<LockHandle> waiter =
        CompletableFuture.supplyAsync(
            () -> waiterLock.acquire(key, LONG.withMaxWait(Duration.ofSeconds(30))));
    // The holder "stalls": no renewal, no release, past its lease.
    LockHandle taker = waiter.get(30, TimeUnit.SECONDS);

    assertThat(taker.fencingToken()).isGreaterThan(stalled.fencingToken());
    assertThatThrownBy(stalled::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("taken over by owner " + taker.ownerId());
    assertThat(told.get()).isNotNull();
    stalled.close();
    taker.checkValid();
    taker.close();
  }

  @Test
  void aStalledHolderThatClosesWithoutCheckingLearnsItAtCloseAndLeavesTheTakerAlone()
      throws Exception {
    LockKey key = LockKey.of("stall", "close");
    AtomicReference<LockLostException> told = new AtomicReference<>();
    LockHandle stalled = holderTellingLoss(key, told);
    FirestoreDistributedLock waiterLock = FirestoreDistributedLock.create(EMULATOR.newClient());
    LockHandle taker = waiterLock.acquire(key, LONG.withMaxWait(Duration.ofSeconds(30)));

    stalled.close();

    assertThat(told.get())
        .as("the lost listener is told at close()")
        .isNotNull()
        .hasMessageContaining("taken over");
    taker.checkValid();
    assertThat(waiterLock.tryAcquire(key, SHORT)).isEmpty();
    taker.close();
  }

  @Test
  void backgroundRenewalKeepsAHolderPastManyLeases() {
    LockKey key = LockKey.of("renewal", "background");
    LockOptions renewing =
        LockOptions.builder()
            .leaseDuration(LockOptions.MIN_RENEWABLE_LEASE)
            .backgroundRenewal(true)
            .build();
    FirestoreDistributedLock lock = FirestoreDistributedLock.create(EMULATOR.newClient());
    try (LockHandle holder = lock.tryAcquire(key, renewing).orElseThrow()) {
      FirestoreTesting.sleep(LockOptions.MIN_RENEWABLE_LEASE.multipliedBy(2));

      holder.checkValid();
      assertThat(FirestoreDistributedLock.create(EMULATOR.newClient()).tryAcquire(key, SHORT))
          .isEmpty();
    }
  }

  @Test
  void keysFirestoreWouldRejectAsIdsAreEncodedSafelyAndStayDistinct() {
    List<String> hostile =
        List.of(
            "a/b",
            "a%2Fb",
            ".",
            "..",
            "__name__",
            "__.*__",
            "~",
            "key with spaces and ünïcödé",
            "x".repeat(LockKey.MAX_KEY_LENGTH),
            "é".repeat(800), // 1,600 UTF-8 bytes: over Firestore's 1,500
            "é".repeat(801));
    FirestoreDistributedLock lock = FirestoreDistributedLock.create(EMULATOR.firestore());
    Set<String> ids = new HashSet<>();
    List<LockHandle> handles = new ArrayList<>();
    for (String k : hostile) {
      LockKey key = LockKey.of("hostile", k);
      String id = FirestoreDistributedLock.defaultDocumentId(key);
      assertThat(id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(1500);
      assertThat(id).doesNotContain("/").doesNotStartWith("__");
      assertThat(ids.add(id)).as("id of %s is unique", k).isTrue();
      Optional<LockHandle> handle = lock.tryAcquire(key, LONG);
      assertThat(handle)
          .as("acquire %s", k.length() > 40 ? k.substring(0, 40) + "..." : k)
          .isPresent();
      handles.add(handle.get());
    }
    handles.forEach(LockHandle::checkValid);
    assertThat(lock.listHeld())
        .extracting(i -> i.key().key())
        .containsExactlyElementsOf(hostile.stream().sorted().toList());
    handles.forEach(LockHandle::close);
  }

  @Test
  void aDocumentIdFunctionThatYieldsAnInvalidIdFailsBeforeAnythingIsWritten() throws Exception {
    FirestoreDistributedLock lock =
        FirestoreDistributedLock.builder(EMULATOR.firestore())
            .collection("custom_locks")
            .documentIds(k -> k.type() + "/" + k.key())
            .build();

    assertThatThrownBy(() -> lock.tryAcquire(LockKey.of("phase3", "2024-11-20"), SHORT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'phase3/2024-11-20'");
    assertThat(EMULATOR.firestore().collection("custom_locks").get().get().isEmpty()).isTrue();
  }

  @Test
  void releaseKeepsTheDocumentWithItsTokenOwnerAndTtlField() throws Exception {
    LockKey key = LockKey.of("phase3", "2024-11-20");
    FirestoreDistributedLock lock =
        FirestoreDistributedLock.builder(EMULATOR.firestore()).instanceName("rev-7").build();
    LockHandle handle = lock.tryAcquire(key, SHORT).orElseThrow();
    DocumentSnapshot held = document(key);
    handle.close();
    DocumentSnapshot released = document(key);

    assertThat(held.getBoolean("held")).isTrue();
    assertThat(held.getString("owner")).isEqualTo(handle.ownerId());
    assertThat(held.getLong("ownerPid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(held.getString("ownerInstance")).isEqualTo("rev-7");
    assertThat(held.getString("ownerHost")).isNotNull();
    assertThat(released.exists()).as("release never deletes").isTrue();
    assertThat(released.getBoolean("held")).isFalse();
    assertThat(released.getLong("token")).isEqualTo(handle.fencingToken());
    Timestamp expireAt = released.getTimestamp("expireAt");
    assertThat(Timestamps.instant(expireAt))
        .isAfter(
            handle.leaseExpiry().plus(FirestoreDistributedLock.DEFAULT_RETENTION).minusSeconds(5))
        .isBefore(
            handle.leaseExpiry().plus(FirestoreDistributedLock.DEFAULT_RETENTION).plusSeconds(5));
    try (LockHandle next = lock.tryAcquire(key, SHORT).orElseThrow()) {
      assertThat(next.fencingToken()).isEqualTo(handle.fencingToken() + 1);
    }
  }

  private static DocumentSnapshot document(LockKey key) throws Exception {
    return EMULATOR
        .firestore()
        .collection(FirestoreDistributedLock.DEFAULT_COLLECTION)
        .document(FirestoreDistributedLock.defaultDocumentId(key))
        .get()
        .get(10, TimeUnit.SECONDS);
  }
}
