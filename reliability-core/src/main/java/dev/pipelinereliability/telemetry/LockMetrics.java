package dev.pipelinereliability.telemetry;

import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.CAUSE;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.LOCK_TYPE;
import static dev.pipelinereliability.telemetry.ReliabilityTelemetry.OUTCOME;
import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.lock.LockUnavailableException;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Records what a lock backend and its handles do: how long acquirers wait and with what outcome,
 * how long holders hold, how many leases are lost and why, how many renewals fail. Attributes: the
 * lock type ({@code LockKey.type()}), never the key or the owner.
 *
 * <p>Thread-safe; cheap to create (it shares the instruments of its {@link ReliabilityTelemetry}).
 */
public final class LockMetrics {

  /** How an acquisition attempt ended: the {@code outcome} attribute of the wait time. */
  public enum AcquireOutcome {
    /** The lock was acquired. */
    ACQUIRED,
    /** {@code tryAcquire} found the lock held and returned empty: this run is skipped. */
    SKIPPED,
    /** {@code acquire} waited its whole {@code maxWait}. */
    TIMED_OUT,
    /** The store could not be reached ({@code LockUnavailableException}). */
    UNAVAILABLE,
    /** Any other failure: an interrupt, a bug. */
    FAILED
  }

  /** How a hold ended: the {@code outcome} attribute of the hold time. */
  public enum HoldOutcome {
    /**
     * The holder closed the handle before the handle learned of any loss. A close that then finds
     * another holder in the store still ends the hold as {@code RELEASED}, and counts the lost
     * lease.
     */
    RELEASED,
    /** The handle was marked lost while held. */
    LOST
  }

  /** The shared instruments; one set per {@link ReliabilityTelemetry}. */
  static final class Instruments {
    final DoubleHistogram acquireDuration;
    final DoubleHistogram holdDuration;
    final LongCounter leaseLosses;
    final LongCounter renewalFailures;
    final AttributeTable<AcquireOutcome> acquireAttributes =
        new AttributeTable<>(LOCK_TYPE, OUTCOME, AcquireOutcome.class);
    final AttributeTable<HoldOutcome> holdAttributes =
        new AttributeTable<>(LOCK_TYPE, OUTCOME, HoldOutcome.class);
    final AttributeTable<LockLossCause> lossAttributes =
        new AttributeTable<>(LOCK_TYPE, CAUSE, LockLossCause.class);

    Instruments(Meter meter) {
      acquireDuration =
          ReliabilityTelemetry.seconds(
              meter,
              "lock.acquire.duration",
              "Time from the start of acquire or tryAcquire until it returned or threw",
              List.of(
                  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
                  900.0, 1800.0, 3600.0));
      holdDuration =
          ReliabilityTelemetry.seconds(
              meter,
              "lock.hold.duration",
              "Time from acquisition until the handle was closed or marked lost",
              List.of(
                  0.1, 1.0, 10.0, 30.0, 60.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0,
                  28800.0, 86400.0));
      leaseLosses =
          ReliabilityTelemetry.counter(
              meter, "lock.lease.losses", "{lease}", "Handles that lost their lock while held");
      renewalFailures =
          ReliabilityTelemetry.counter(
              meter,
              "lock.renewal.failures",
              "{renewal}",
              "Lease renewals that failed without showing the lock lost (store unreachable)");
    }
  }

  private final Instruments instruments;
  private final Clock clock;

  LockMetrics(Instruments instruments, Clock clock) {
    this.instruments = instruments;
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Runs an {@code acquire} and records its wait time: {@code ACQUIRED} if it returns, {@code
   * TIMED_OUT} / {@code UNAVAILABLE} / {@code FAILED} by what it throws (rethrown unchanged).
   *
   * @param lockType the lock type of the key
   * @param acquire the acquisition
   * @param <H> the handle type
   * @return what {@code acquire} returned
   * @throws NullPointerException if an argument is null, before {@code acquire} runs
   */
  public <H> H timeAcquire(String lockType, Supplier<H> acquire) {
    requireNonNull(lockType, "lockType");
    requireNonNull(acquire, "acquire");
    Instant started = clock.instant();
    AcquireOutcome outcome = AcquireOutcome.FAILED;
    try {
      H handle = acquire.get();
      outcome = AcquireOutcome.ACQUIRED;
      return handle;
    } catch (RuntimeException e) {
      outcome = outcomeOf(e);
      throw e;
    } finally {
      acquireFinished(lockType, outcome, started);
    }
  }

  /**
   * Runs a {@code tryAcquire} and records its wait time: {@code ACQUIRED} if it returns a handle,
   * {@code SKIPPED} if it returns empty, {@code UNAVAILABLE} / {@code FAILED} by what it throws.
   *
   * @param lockType the lock type of the key
   * @param tryAcquire the attempt
   * @param <H> the handle type
   * @return what {@code tryAcquire} returned
   * @throws NullPointerException if an argument is null, before {@code tryAcquire} runs
   */
  public <H> Optional<H> timeTryAcquire(String lockType, Supplier<Optional<H>> tryAcquire) {
    requireNonNull(lockType, "lockType");
    requireNonNull(tryAcquire, "tryAcquire");
    Instant started = clock.instant();
    AcquireOutcome outcome = AcquireOutcome.FAILED;
    try {
      Optional<H> handle = tryAcquire.get();
      outcome = handle.isPresent() ? AcquireOutcome.ACQUIRED : AcquireOutcome.SKIPPED;
      return handle;
    } catch (RuntimeException e) {
      outcome = outcomeOf(e);
      throw e;
    } finally {
      acquireFinished(lockType, outcome, started);
    }
  }

  /**
   * Records one acquisition attempt that started at {@code started} and ended now.
   *
   * @param lockType the lock type of the key
   * @param outcome how it ended
   * @param started when it started, on this recorder's clock
   * @throws NullPointerException if an argument is null
   */
  public void acquireFinished(String lockType, AcquireOutcome outcome, Instant started) {
    requireNonNull(lockType, "lockType");
    requireNonNull(outcome, "outcome");
    requireNonNull(started, "started");
    instruments.acquireDuration.record(
        ReliabilityTelemetry.toSeconds(Duration.between(started, clock.instant())),
        instruments.acquireAttributes.get(lockType, outcome));
  }

  /**
   * Returns the time now on this recorder's clock: a handle's hold starts here.
   *
   * @return the time now on this recorder's clock
   */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Records a hold that started at {@code acquiredAt} and ended now.
   *
   * @param lockType the lock type of the key
   * @param outcome how it ended
   * @param acquiredAt when the lock was acquired, from {@link #now()}
   * @throws NullPointerException if an argument is null
   */
  public void holdEnded(String lockType, HoldOutcome outcome, Instant acquiredAt) {
    requireNonNull(lockType, "lockType");
    requireNonNull(outcome, "outcome");
    requireNonNull(acquiredAt, "acquiredAt");
    instruments.holdDuration.record(
        ReliabilityTelemetry.toSeconds(Duration.between(acquiredAt, clock.instant())),
        instruments.holdAttributes.get(lockType, outcome));
  }

  /**
   * Counts one lost lease; call it once per handle, when the handle learns of the loss (a check, a
   * renewal, the lease running out, or its close finding another holder).
   *
   * @param lockType the lock type of the key
   * @param cause why it was lost
   * @throws NullPointerException if an argument is null
   */
  public void leaseLost(String lockType, LockLossCause cause) {
    requireNonNull(lockType, "lockType");
    requireNonNull(cause, "cause");
    instruments.leaseLosses.add(1, instruments.lossAttributes.get(lockType, cause));
  }

  /**
   * Counts one renewal that failed without showing the lock lost.
   *
   * @param lockType the lock type of the key
   * @throws NullPointerException if {@code lockType} is null
   */
  public void renewalFailed(String lockType) {
    requireNonNull(lockType, "lockType");
    instruments.renewalFailures.add(1, instruments.lossAttributes.get(lockType));
  }

  private static AcquireOutcome outcomeOf(RuntimeException e) {
    if (e instanceof LockTimeoutException) {
      return AcquireOutcome.TIMED_OUT;
    }
    return e instanceof LockUnavailableException
        ? AcquireOutcome.UNAVAILABLE
        : AcquireOutcome.FAILED;
  }
}
