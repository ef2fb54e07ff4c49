package dev.pipelinereliability.firestore.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.telemetry.MetricsCapture;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Firestore lock, on the emulator, reports the same metric points as the in-memory lock for the
 * same scripted runs: an acquisition, a skipped run, a force-release the holder learns of, a second
 * acquisition released by its holder; and a lease that runs out on the holder's clock, a takeover
 * the stalled holder learns of, an acquire that gives up at once. The Firestore lock judges
 * takeovers by the server's clock, so that run waits out one short lease in real time.
 */
class FirestoreLockTelemetryTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  private static final LockOptions OPTIONS =
      LockOptions.builder().leaseDuration(Duration.ofMinutes(5)).backgroundRenewal(false).build();

  @Test
  void firestoreLockReportsWhatTheInMemoryLockReports() {
    Map<String, Map<Attributes, Long>> inMemory;
    try (MetricsCapture metrics = MetricsCapture.create()) {
      InMemoryDistributedLock lock =
          new InMemoryDistributedLock(metrics.openTelemetry(), FakeClock.create());
      inMemory = run(lock, lock, metrics);
    }
    Map<String, Map<Attributes, Long>> firestore;
    try (MetricsCapture metrics = MetricsCapture.create()) {
      FirestoreDistributedLock lock =
          FirestoreDistributedLock.builder(EMULATOR.firestore())
              .collection("telemetry_" + UUID.randomUUID().toString().substring(0, 8))
              .openTelemetry(metrics.openTelemetry())
              .build();
      firestore = run(lock, lock, metrics);
    }

    assertThat(firestore).isEqualTo(inMemory);
    assertThat(inMemory.get(ACQUIRE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("outcome", "acquired"), 2L,
                attributes("outcome", "skipped"), 1L));
    assertThat(inMemory.get(HOLD))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("outcome", "lost"), 1L,
                attributes("outcome", "released"), 1L));
    assertThat(inMemory.get(LOST))
        .containsExactlyInAnyOrderEntriesOf(Map.of(attributes("cause", "force_released"), 1L));
  }

  @Test
  void leaseLossesByCauseAndATimeoutMatchTheInMemoryLock() {
    Map<String, Map<Attributes, Long>> inMemory;
    try (MetricsCapture metrics = MetricsCapture.create()) {
      FakeClock clock = FakeClock.create();
      InMemoryDistributedLock lock = new InMemoryDistributedLock(metrics.openTelemetry(), clock);
      inMemory = runLosses(lock, clock::advance, metrics);
    }
    Map<String, Map<Attributes, Long>> firestore;
    try (MetricsCapture metrics = MetricsCapture.create()) {
      FakeClock clock = FakeClock.create();
      FirestoreDistributedLock lock =
          FirestoreDistributedLock.builder(EMULATOR.firestore())
              .collection("telemetry_" + UUID.randomUUID().toString().substring(0, 8))
              .clock(clock)
              .openTelemetry(metrics.openTelemetry())
              .build();
      // The holder's local estimate runs on the fake clock, the server's lease on real time.
      firestore =
          runLosses(
              lock,
              d -> {
                clock.advance(d);
                FirestoreTesting.sleep(d);
              },
              metrics);
    }

    assertThat(firestore).isEqualTo(inMemory);
    assertThat(inMemory.get(ACQUIRE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("outcome", "acquired"), 3L,
                attributes("outcome", "timed_out"), 1L));
    assertThat(inMemory.get(HOLD))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("outcome", "lost"), 2L,
                attributes("outcome", "released"), 1L));
    assertThat(inMemory.get(LOST))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("cause", "expired"), 1L,
                attributes("cause", "taken_over"), 1L));
  }

  private static final String ACQUIRE = "pipeline_reliability.lock.acquire.duration";
  private static final String HOLD = "pipeline_reliability.lock.hold.duration";
  private static final String LOST = "pipeline_reliability.lock.lease.losses";

  private static Map<String, Map<Attributes, Long>> run(
      DistributedLock lock, LockAdmin admin, MetricsCapture metrics) {
    LockKey key = new LockKey("nightly", "odds/2026-02-03");
    LockHandle first = lock.tryAcquire(key, OPTIONS).orElseThrow();
    assertThat(lock.tryAcquire(key, OPTIONS)).isEmpty();
    assertThat(admin.forceRelease(key, "on-call: stuck run")).isTrue();
    assertThatThrownBy(first::checkValid).isInstanceOf(LockLostException.class);
    first.close();
    lock.tryAcquire(key, OPTIONS).orElseThrow().close();
    return points(metrics);
  }

  /**
   * Two holders on short leases; time passes beyond the lease; one learns on its own clock that its
   * lease ran out, the other that a newcomer took its key over.
   */
  private static Map<String, Map<Attributes, Long>> runLosses(
      DistributedLock lock, Consumer<Duration> elapse, MetricsCapture metrics) {
    LockOptions shortLease =
        LockOptions.builder()
            .leaseDuration(FirestoreTesting.LEASE)
            .backgroundRenewal(false)
            .build();
    LockKey expiring = new LockKey("nightly", "odds/2026-02-03");
    LockKey takenOver = new LockKey("nightly", "games/2026-02-03");
    LockHandle first = lock.tryAcquire(expiring, shortLease).orElseThrow();
    LockHandle stalled = lock.tryAcquire(takenOver, shortLease).orElseThrow();
    assertThatThrownBy(() -> lock.acquire(takenOver, shortLease.withMaxWait(Duration.ZERO)))
        .isInstanceOf(LockTimeoutException.class);
    elapse.accept(FirestoreTesting.LEASE.plusMillis(300));
    assertThat(first.isValid()).isFalse();
    LockHandle next = lock.tryAcquire(takenOver, shortLease).orElseThrow();
    assertThatThrownBy(stalled::checkValid)
        .isInstanceOf(LockLostException.class)
        .extracting(e -> ((LockLostException) e).lossCause())
        .isEqualTo(LockLossCause.TAKEN_OVER);
    first.close();
    stalled.close();
    next.close();
    return points(metrics);
  }

  private static Map<String, Map<Attributes, Long>> points(MetricsCapture metrics) {
    return Map.of(
        ACQUIRE, metrics.points(ACQUIRE), HOLD, metrics.points(HOLD), LOST, metrics.points(LOST));
  }

  private static Attributes attributes(String name, String value) {
    return Attributes.builder().put("lock_type", "nightly").put(name, value).build();
  }
}
