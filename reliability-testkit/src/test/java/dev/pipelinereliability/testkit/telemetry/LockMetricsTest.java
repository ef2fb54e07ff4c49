package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lock metrics after scripted runs on the in-memory lock and a fake clock. */
class LockMetricsTest {
  static final String ACQUIRE = "pipeline_reliability.lock.acquire.duration";
  static final String HOLD = "pipeline_reliability.lock.hold.duration";
  static final String LOST = "pipeline_reliability.lock.lease.losses";
  static final String RENEWAL_FAILURES = "pipeline_reliability.lock.renewal.failures";

  private static final LockKey KEY = new LockKey("nightly", "odds/2026-02-03");
  private static final LockOptions NO_RENEWAL =
      LockOptions.builder()
          .leaseDuration(Duration.ofSeconds(30))
          .backgroundRenewal(false)
          .maxWait(Duration.ofSeconds(10))
          .build();

  private final MetricsCapture metrics = MetricsCapture.create();
  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock lock =
      new InMemoryDistributedLock(metrics.openTelemetry(), clock);

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void aSkippedRunIsCountedAsSkippedBesideTheHolderAndItsHoldTime() {
    LockHandle holder = lock.tryAcquire(KEY, NO_RENEWAL).orElseThrow();
    assertThat(lock.tryAcquire(KEY, NO_RENEWAL)).isEmpty();
    clock.advance(Duration.ofSeconds(12));
    holder.close();

    assertThat(histogram(ACQUIRE, "lock_type", "nightly", "outcome", "acquired").getCount())
        .isEqualTo(1);
    assertThat(histogram(ACQUIRE, "lock_type", "nightly", "outcome", "skipped").getCount())
        .isEqualTo(1);
    HistogramPointData hold = histogram(HOLD, "lock_type", "nightly", "outcome", "released");
    assertThat(hold.getCount()).isEqualTo(1);
    assertThat(hold.getSum()).isEqualTo(12.0);
    assertThat(metrics.points(LOST)).isEmpty();
  }

  @Test
  void aLeaseThatRunsOutOnTheFakeClockIsCountedOnceAsExpired() {
    LockHandle holder = lock.acquire(KEY, NO_RENEWAL);
    clock.advance(Duration.ofSeconds(31));

    assertThat(holder.isValid()).isFalse();
    // The next run takes the lock over; the stalled holder's close learns of it but the loss was
    // already counted.
    LockHandle next = lock.acquire(KEY, NO_RENEWAL);
    holder.close();
    next.close();

    assertThat(metrics.count(LOST, "lock_type", "nightly", "cause", "expired")).isEqualTo(1);
    assertThat(metrics.points(LOST)).hasSize(1);
    HistogramPointData lostHold = histogram(HOLD, "lock_type", "nightly", "outcome", "lost");
    assertThat(lostHold.getCount()).isEqualTo(1);
    assertThat(lostHold.getSum()).isEqualTo(31.0);
  }

  @Test
  void aTakeoverAndAForceReleaseAreCountedByCause() {
    LockHandle stalled = lock.acquire(KEY, NO_RENEWAL);
    clock.advance(Duration.ofSeconds(31));
    LockHandle next = lock.acquire(KEY, NO_RENEWAL);
    assertThatThrownBy(stalled::checkValid).isInstanceOf(LockLostException.class);
    lock.forceRelease(KEY, "on-call: stuck run");
    assertThatThrownBy(next::checkValid).isInstanceOf(LockLostException.class);

    assertThat(metrics.count(LOST, "lock_type", "nightly", "cause", "taken_over")).isEqualTo(1);
    assertThat(metrics.count(LOST, "lock_type", "nightly", "cause", "force_released")).isEqualTo(1);
  }

  @Test
  void anAcquireThatTimesOutRecordsItsWaitOnTheFakeClock() throws Exception {
    LockHandle holder = lock.acquire(KEY, NO_RENEWAL.withLeaseDuration(Duration.ofHours(1)));
    CompletableFuture<Throwable> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                lock.acquire(KEY, NO_RENEWAL);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    assertThat(lock.awaitWaitingAcquirers(1, Duration.ofSeconds(30))).isTrue();
    clock.advance(Duration.ofSeconds(10));

    assertThat(waiter.get(30, TimeUnit.SECONDS)).isInstanceOf(LockTimeoutException.class);
    holder.close();
    HistogramPointData waited = histogram(ACQUIRE, "lock_type", "nightly", "outcome", "timed_out");
    assertThat(waited.getCount()).isEqualTo(1);
    assertThat(waited.getSum()).isEqualTo(10.0); // the one 10 s advance, in fake time
  }

  @Test
  void aRenewalThatCannotReachTheStoreIsCountedAsFailedNotLost() {
    var telemetry = ReliabilityTelemetry.of(metrics.openTelemetry()).lock(clock);
    AbstractLockHandle handle =
        new AbstractLockHandle(
            KEY,
            "owner",
            1,
            clock.instant().plusSeconds(30),
            LockOptions.ofDefaults().withLeaseDuration(Duration.ofSeconds(30)),
            telemetry) {
          @Override
          protected boolean leaseLooksLive() {
            return true;
          }

          @Override
          protected void confirmHeld() {}

          @Override
          protected Instant renewInStore(Duration lease) {
            throw new LockUnavailableException(KEY, "store unreachable", null);
          }

          @Override
          protected void releaseInStore() {}
        };

    assertThatThrownBy(handle::renew).isInstanceOf(LockUnavailableException.class);
    assertThatThrownBy(handle::renew).isInstanceOf(LockUnavailableException.class);

    assertThat(metrics.count(RENEWAL_FAILURES, "lock_type", "nightly")).isEqualTo(2);
    assertThat(metrics.points(LOST)).isEmpty();
  }

  private HistogramPointData histogram(String name, String... attributes) {
    return metrics.histogram(name, attributes);
  }
}
