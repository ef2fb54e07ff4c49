package dev.pipelinereliability.firestore.lock;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock store goes away in the middle of a run: calls fail within a bounded time with {@link
 * LockUnavailableException} (never a silent acquisition), and once the store is back the lock can
 * be acquired again after the lease has run out.
 *
 * <p>Uses an emulator of its own, because it stops and freezes it; that needs the Cloud SDK
 * emulator on this machine. The lock reports to a {@link MetricsCapture}: calls that cannot reach
 * the store count as {@code unavailable} acquisitions and failed renewals, never as lost leases.
 */
class FirestoreLockOutageTest {
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);

  /** The deadline plus room for a loaded 2-core machine; far below the client's own 60 s. */
  private static final Duration BOUND = RPC_TIMEOUT.plusSeconds(3);

  private static final LockOptions SHORT =
      LockOptions.builder().leaseDuration(FirestoreTesting.LEASE).build();

  private static final String ACQUIRE = "pipeline_reliability.lock.acquire.duration";
  private static final String LOST = "pipeline_reliability.lock.lease.losses";
  private static final String RENEWAL_FAILURES = "pipeline_reliability.lock.renewal.failures";

  /** Shared by the tests of the class, so each reads what changed during its own steps. */
  private static final MetricsCapture METRICS = MetricsCapture.create();

  private static FirestoreEmulator emulator;
  private static Firestore client;
  private static FirestoreDistributedLock lock;

  @BeforeAll
  static void startOwnEmulator() {
    Optional<Path> jar = FirestoreEmulator.findCloudSdkJar();
    if (jar.isEmpty()) {
      String external = System.getenv(FirestoreEmulatorExtension.EMULATOR_HOST_ENV);
      if (external != null && !external.isBlank()) {
        // An emulator someone else runs cannot be stopped or frozen from here.
        String reason =
            "FirestoreLockOutageTest skipped: it must stop and freeze its own emulator, but the"
                + " Cloud SDK Firestore emulator is not installed and the one at "
                + external
                + " ("
                + FirestoreEmulatorExtension.EMULATOR_HOST_ENV
                + ") is not this test's to stop";
        System.err.println(reason);
        assumeTrue(false, reason);
      }
      fail(
          "FirestoreLockOutageTest needs the Cloud SDK Firestore emulator ("
              + FirestoreEmulator.JAR_IN_SDK
              + " under `gcloud info --format='value(installation.sdk_root)'`) to stop and freeze"
              + " the store mid-run; install it with `gcloud components install"
              + " cloud-firestore-emulator`");
    }
    emulator = FirestoreEmulator.start(jar.get());
    client =
        FirestoreOptions.newBuilder()
            .setProjectId("outage-test")
            .setEmulatorHost(emulator.hostPort())
            .build()
            .getService();
    lock =
        FirestoreDistributedLock.builder(client)
            .rpcTimeout(RPC_TIMEOUT)
            .openTelemetry(METRICS.openTelemetry())
            .build();
    // A fresh emulator and channel answer the first call slowly; the short deadline is for later.
    acquireOnceReconnected(LockKey.of("outage", "warm-up"), SHORT).close();
  }

  @AfterAll
  static void stopOwnEmulator() throws Exception {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    METRICS.close();
  }

  @Test
  void whileTheEmulatorIsStoppedCallsFailFastAndAfterItsRestartTheLockIsAcquirable() {
    LockKey key = LockKey.of("outage", "stopped");
    // Long enough to stay live through the failing calls below, so renew() must reach the store.
    LockOptions longer = LockOptions.builder().leaseDuration(Duration.ofSeconds(30)).build();
    LockHandle holder = acquireOnceReconnected(key, longer);
    LockHandle closedDuringOutage =
        acquireOnceReconnected(LockKey.of("outage", "closed-while-stopped"), longer);

    Map<String, Map<Attributes, Long>> before = outageMetrics();
    emulator.stop();
    try {
      // On-call reads these logs: one failed release is one line with its cause, no stack trace.
      List<String> logged = LogCapture.linesDuring(closedDuringOutage::close);
      assertThat(logged)
          .filteredOn(l -> l.contains("Could not release lock outage/closed-while-stopped"))
          .singleElement()
          .asString()
          .contains("LockUnavailableException")
          .contains("UNAVAILABLE");
      assertThat(logged).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
      assertThat(logged).hasSizeLessThanOrEqualTo(2);
      assertUnavailableWithinBound(() -> lock.tryAcquire(key, SHORT));
      assertUnavailableWithinBound(
          () -> lock.acquire(key, SHORT.withMaxWait(Duration.ofMinutes(1))));
      assertUnavailableWithinBound(holder::checkValid);
      assertUnavailableWithinBound(holder::renew);
      assertUnavailableWithinBound(lock::listHeld);
    } finally {
      emulator.restart();
    }
    Map<String, Map<Attributes, Long>> during = outageMetrics();
    assertThat(added(before, during, ACQUIRE))
        .as("tryAcquire and acquire, each failed once")
        .isEqualTo(Map.of(lockType("outcome", "unavailable"), 2L));
    assertThat(added(before, during, RENEWAL_FAILURES))
        .isEqualTo(Map.of(Attributes.builder().put("lock_type", "outage").build(), 1L));
    assertThat(added(before, during, LOST)).as("a failed call is not a lost lease").isEmpty();

    // The restarted emulator lost its data, so the lock is free at once, and the new document's
    // token still exceeds the old one.
    LockHandle next = acquireOnceReconnected(key, SHORT);
    assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
    assertThatThrownBy(holder::checkValid).isInstanceOf(LockLostException.class);
    assertThat(added(during, outageMetrics(), LOST))
        .as("the new document shows another owner")
        .isEqualTo(Map.of(lockType("cause", "taken_over"), 1L));
    holder.close();
    next.checkValid();
    next.close();
  }

  @Test
  void whileTheEmulatorHangsCallsFailFastAndAfterwardsTheLockIsFreeOnlyOnceTheLeaseRanOut() {
    LockKey key = LockKey.of("outage", "frozen");
    LockOptions longer = LockOptions.builder().leaseDuration(Duration.ofSeconds(6)).build();
    LockHandle holder = acquireOnceReconnected(key, longer);

    emulator.pause();
    try {
      assertUnavailableWithinBound(() -> lock.tryAcquire(key, SHORT));
      assertUnavailableWithinBound(holder::checkValid);
    } finally {
      emulator.resume();
    }

    // The document survived the hang: the holder's lease still decides.
    if (holder.isValid()) {
      assertThat(lock.tryAcquire(key, SHORT)).as("while the old lease is live").isEmpty();
    }
    FirestoreTesting.sleep(Duration.ofMillis(200).plus(remaining(holder)));
    LockHandle next = lock.tryAcquire(key, SHORT).orElseThrow();
    assertThat(next.fencingToken()).isEqualTo(holder.fencingToken() + 1);
    assertThatThrownBy(holder::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("taken over");
    holder.close();
    next.checkValid();
    next.close();
  }

  @Test
  void aBackgroundRenewalGivesUpWithinAThirdOfItsLeaseEvenWithALongRpcTimeout() {
    LockKey key = LockKey.of("outage", "renewal-deadline");
    FirestoreDistributedLock patient =
        FirestoreDistributedLock.builder(client).rpcTimeout(Duration.ofSeconds(30)).build();
    LockOptions renewing =
        LockOptions.builder()
            .leaseDuration(LockOptions.MIN_RENEWABLE_LEASE)
            .backgroundRenewal(true)
            .build();
    LockHandle holder = acquireOnceReconnected(patient, key, renewing);

    emulator.pause();
    long start = System.nanoTime();
    try {
      // Lost is possible too if the frozen store outlasted the lease; either way not 30 s.
      assertThatThrownBy(holder::renew)
          .isInstanceOfAny(LockUnavailableException.class, LockLostException.class);
    } finally {
      emulator.resume();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("a third of the 3 s lease plus room for a loaded machine, far below the 30 s")
        .isLessThan(Duration.ofSeconds(3));
    holder.close();
  }

  /**
   * Retries until the store answers: a fresh emulator answers its first calls slowly, and after an
   * outage the client's channel reconnects only after gRPC's reconnect backoff; until then calls
   * keep failing fast with {@link LockUnavailableException}.
   */
  private static LockHandle acquireOnceReconnected(LockKey key, LockOptions options) {
    return acquireOnceReconnected(lock, key, options);
  }

  private static LockHandle acquireOnceReconnected(
      FirestoreDistributedLock lock, LockKey key, LockOptions options) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return lock.tryAcquire(key, options).orElseThrow();
      } catch (LockUnavailableException stillReconnecting) {
        if (System.nanoTime() > deadline) {
          throw stillReconnecting;
        }
        FirestoreTesting.sleep(Duration.ofMillis(200));
      }
    }
  }

  private static Map<String, Map<Attributes, Long>> outageMetrics() {
    return Map.of(
        ACQUIRE,
        METRICS.points(ACQUIRE),
        LOST,
        METRICS.points(LOST),
        RENEWAL_FAILURES,
        METRICS.points(RENEWAL_FAILURES));
  }

  /** The points of {@code name} that grew from {@code before} to {@code after}, by how much. */
  private static Map<Attributes, Long> added(
      Map<String, Map<Attributes, Long>> before,
      Map<String, Map<Attributes, Long>> after,
      String name) {
    Map<Attributes, Long> was = requireNonNull(before.get(name), name);
    Map<Attributes, Long> grown = new HashMap<>();
    requireNonNull(after.get(name), name)
        .forEach(
            (attributes, value) -> {
              long delta = value - was.getOrDefault(attributes, 0L);
              if (delta != 0) {
                grown.put(attributes, delta);
              }
            });
    return grown;
  }

  private static Attributes lockType(String name, String value) {
    return Attributes.builder().put("lock_type", "outage").put(name, value).build();
  }

  private static Duration remaining(LockHandle holder) {
    Duration left = Duration.between(java.time.Instant.now(), holder.leaseExpiry());
    return left.isNegative() ? Duration.ZERO : left.plusMillis(500);
  }

  private static void assertUnavailableWithinBound(ThrowingCallable call) {
    long start = System.nanoTime();
    assertThatThrownBy(call)
        .isInstanceOf(LockUnavailableException.class)
        .hasMessageContaining("lock store unavailable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }
}
