package dev.pipelinereliability.testkit.telemetry;

import static dev.pipelinereliability.testkit.telemetry.LockMetricsTest.ACQUIRE;
import static dev.pipelinereliability.testkit.telemetry.LockMetricsTest.HOLD;
import static dev.pipelinereliability.testkit.telemetry.LockMetricsTest.LOST;
import static dev.pipelinereliability.testkit.telemetry.LockMetricsTest.RENEWAL_FAILURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import dev.pipelinereliability.telemetry.LockMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock attribute values of the README's Telemetry table that {@link LockMetricsTest} does not
 * reach: acquire outcomes {@code failed} and {@code unavailable}, loss cause {@code unknown}, and a
 * loss counted once however often the holder learns of it. The in-memory lock never loses its store
 * and never loses a record, so {@code unavailable} and {@code unknown} are produced here the way a
 * store-backed lock produces them: through {@link LockMetrics} and {@link AbstractLockHandle}, the
 * pieces the Firestore lock is built on.
 */
class LockAttributeValuesTest {

  private static final LockKey KEY = new LockKey("nightly", "odds/2026-02-03");
  private static final LockOptions NO_RENEWAL =
      LockOptions.builder()
          .leaseDuration(Duration.ofSeconds(30))
          .backgroundRenewal(false)
          .maxWait(Duration.ofMinutes(10))
          .build();

  private final MetricsCapture metrics = MetricsCapture.create();
  private final FakeClock clock = FakeClock.create();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void anAcquireInterruptedWhileWaitingIsRecordedAsFailed() {
    InMemoryDistributedLock lock = new InMemoryDistributedLock(metrics.openTelemetry(), clock);
    LockHandle holder = lock.acquire(KEY, NO_RENEWAL);

    // The waiting acquirer's thread is interrupted: its wait ends at once with an exception that is
    // neither a timeout nor an unreachable store.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> lock.acquire(KEY, NO_RENEWAL))
          .isInstanceOf(ReliabilityException.class)
          .hasMessageContaining("interrupted");
    } finally {
      assertThat(Thread.interrupted()).as("the lock keeps the interrupt flag set").isTrue();
    }
    holder.close();

    assertThat(metrics.points(ACQUIRE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                attributes("outcome", "acquired"), 1L,
                attributes("outcome", "failed"), 1L));
  }

  @Test
  void anAcquireOrTryAcquireThatCannotReachTheStoreIsRecordedAsUnavailableWithItsWait() {
    DistributedLock unreachable = new UnreachableLock(metrics, clock, Duration.ofSeconds(3));

    assertThatThrownBy(() -> unreachable.acquire(KEY, NO_RENEWAL))
        .isInstanceOf(LockUnavailableException.class);
    assertThatThrownBy(() -> unreachable.tryAcquire(KEY, NO_RENEWAL))
        .isInstanceOf(LockUnavailableException.class);

    var waited = metrics.histogram(ACQUIRE, "lock_type", "nightly", "outcome", "unavailable");
    assertThat(waited.getCount()).isEqualTo(2);
    assertThat(waited.getSum()).isEqualTo(6.0);
    assertThat(metrics.points(ACQUIRE)).hasSize(1);
  }

  @Test
  void aLossTheBackendCannotExplainIsCountedOnceAsUnknown() {
    LockMetrics recorder = ReliabilityTelemetry.of(metrics.openTelemetry()).lock(clock);
    AbstractLockHandle handle = new VanishedRecordHandle(recorder, clock);
    clock.advance(Duration.ofSeconds(7));

    // The holder learns of the loss three times: a check, a renewal, and its close.
    assertThatThrownBy(handle::checkValid).isInstanceOf(LockLostException.class);
    assertThatThrownBy(handle::renew).isInstanceOf(LockLostException.class);
    handle.close();

    assertThat(metrics.points(LOST))
        .containsExactlyEntriesOf(Map.of(attributes("cause", "unknown"), 1L));
    var hold = metrics.histogram(HOLD, "lock_type", "nightly", "outcome", "lost");
    assertThat(hold.getCount()).isEqualTo(1);
    assertThat(hold.getSum()).isEqualTo(7.0);
    // A loss is not a failed renewal: that counter is for renewals that could not reach the store.
    assertThat(metrics.points(RENEWAL_FAILURES)).isEmpty();
  }

  @Test
  void aCloseThatFindsTheLockTakenOverCountsTheLossOnceAndTheHoldAsReleased() {
    InMemoryDistributedLock lock = new InMemoryDistributedLock(metrics.openTelemetry(), clock);
    LockHandle stalled = lock.acquire(KEY, NO_RENEWAL);
    clock.advance(Duration.ofSeconds(31));
    LockHandle next = lock.acquire(KEY, NO_RENEWAL);
    clock.advance(Duration.ofSeconds(1));

    // The stalled holder never looked (no isValid, no checkValid): its close is where it learns.
    stalled.close();
    next.close();

    assertThat(metrics.points(LOST))
        .containsExactlyEntriesOf(Map.of(attributes("cause", "taken_over"), 1L));
    // Its hold ended with its own close, so it is timed as released (32 s), next's as released too.
    var released = metrics.histogram(HOLD, "lock_type", "nightly", "outcome", "released");
    assertThat(released.getCount()).isEqualTo(2);
    assertThat(released.getSum()).isEqualTo(32.0 + 1.0);
  }

  private static Attributes attributes(String name, String value) {
    return Attributes.builder().put("lock_type", "nightly").put(name, value).build();
  }

  /**
   * A lock over a store that cannot be reached: every attempt spends {@code timeout} on the clock,
   * then throws {@link LockUnavailableException}, recorded the way a backend records it.
   */
  private static final class UnreachableLock implements DistributedLock {
    private final LockMetrics recorder;
    private final FakeClock clock;
    private final Duration timeout;

    UnreachableLock(MetricsCapture metrics, FakeClock clock, Duration timeout) {
      this.recorder = ReliabilityTelemetry.of(metrics.openTelemetry()).lock(clock);
      this.clock = clock;
      this.timeout = timeout;
    }

    @Override
    public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
      return recorder.timeTryAcquire(
          key.type(),
          () -> {
            throw unreachable(key);
          });
    }

    @Override
    public LockHandle acquire(LockKey key, LockOptions options) {
      return recorder.timeAcquire(
          key.type(),
          () -> {
            throw unreachable(key);
          });
    }

    /** Spends the timeout on the clock, then returns what the attempt throws. */
    private LockUnavailableException unreachable(LockKey key) {
      clock.advance(timeout);
      return new LockUnavailableException(key, "store unreachable after " + timeout, null);
    }
  }

  /**
   * A handle whose lock record vanished from the store: the store shows no owner at all, so the
   * loss has no cause the backend can name ({@code new LockLostException(key, reason)}).
   */
  private static final class VanishedRecordHandle extends AbstractLockHandle {
    VanishedRecordHandle(LockMetrics recorder, FakeClock clock) {
      super(
          KEY,
          "owner",
          1,
          clock.instant().plusSeconds(30),
          LockOptions.ofDefaults().withLeaseDuration(Duration.ofSeconds(30)),
          recorder);
    }

    @Override
    protected boolean leaseLooksLive() {
      return true;
    }

    @Override
    protected void confirmHeld() {
      throw vanished();
    }

    @Override
    protected Instant renewInStore(Duration lease) {
      throw vanished();
    }

    @Override
    protected void releaseInStore() {
      throw vanished();
    }

    private LockLostException vanished() {
      return new LockLostException(key(), "the lock record was deleted");
    }
  }
}
