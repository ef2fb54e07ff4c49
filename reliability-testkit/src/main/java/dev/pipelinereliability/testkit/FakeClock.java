package dev.pipelinereliability.testkit;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Clock} that stands still until a test moves it, modelled on Guava's {@code FakeTicker}.
 * Pass it wherever the library takes a {@code Clock}; then {@link #advance(Duration)} to let leases
 * expire, deadlines pass and thresholds trip, without sleeping.
 *
 * <p>It is also the library's {@link Sleeper}: pass it to a {@code sleeper(...)} setter and every
 * retry wait advances this clock by the wait (and is kept in {@link #sleeps()}) instead of
 * sleeping.
 *
 * <p>Code that blocks until a fake instant (the testkit's in-memory lock's waiting acquirers)
 * learns that time moved through {@link #onChange(Runnable)}, so a test moves time once instead of
 * advancing in a loop and sleeping between steps.
 *
 * <p>Thread-safe: one thread may advance it while others read it. Clocks made by {@link
 * #withZone(ZoneId)} share this clock's instant, sleeps and listeners, so advancing one advances
 * all.
 */
public final class FakeClock extends Clock implements Sleeper {
  /** The instant a clock made by {@link #create()} starts at: 2024-11-20T12:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2024-11-20T12:00:00Z");

  private final AtomicReference<Instant> now;
  private final List<Duration> sleeps;
  private final List<Runnable> listeners;
  private final ZoneId zone;

  private FakeClock(
      AtomicReference<Instant> now, List<Duration> sleeps, List<Runnable> listeners, ZoneId zone) {
    this.now = now;
    this.sleeps = sleeps;
    this.listeners = listeners;
    this.zone = zone;
  }

  /**
   * A listener registered with {@link #onChange(Runnable)}; closing it unregisters the listener.
   */
  public interface Subscription extends AutoCloseable {
    /** Unregisters the listener; safe to call more than once. Never throws. */
    @Override
    void close();
  }

  /**
   * Returns a clock at {@link #DEFAULT_START} in UTC.
   *
   * @return a clock at {@link #DEFAULT_START} in UTC
   */
  public static FakeClock create() {
    return at(DEFAULT_START);
  }

  /**
   * Returns a clock at {@code start} in UTC.
   *
   * @param start the start
   * @return a clock at {@code start} in UTC
   */
  public static FakeClock at(Instant start) {
    return new FakeClock(
        new AtomicReference<>(requireNonNull(start, "start")),
        new CopyOnWriteArrayList<>(),
        new CopyOnWriteArrayList<>(),
        ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward by {@code duration}.
   *
   * @param duration the duration
   * @return this clock
   * @throws IllegalArgumentException if {@code duration} is negative: time in these tests only
   *     moves forward, as a monotonic clock would
   */
  public FakeClock advance(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    now.accumulateAndGet(null, (current, ignored) -> current.plus(duration));
    notifyListeners();
    return this;
  }

  /**
   * Runs {@code listener} after every {@link #advance(Duration)}, {@link #sleep(Duration)} and
   * {@link #set(Instant)} of this clock or of a clock sharing its instant, on the thread that moved
   * the clock, until the returned subscription is closed. The listener sees the new instant.
   * Listeners run in the order they were registered; one registered twice runs twice. A move
   * already under way on another thread when the subscription is closed may still call the listener
   * once.
   *
   * <p>A listener should return quickly and must not move the clock itself. Every listener runs for
   * every move, even when one throws: a failing listener never keeps a lock waiter from waking. The
   * first exception then propagates out of the call that moved the clock (the move has happened),
   * with the others added as suppressed.
   *
   * @param listener what to run when time moves
   * @return the subscription; {@link Subscription#close()} stops the calls
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onChange(Runnable listener) {
    requireNonNull(listener, "listener");
    // A wrapper per registration, so closing one of two registrations of the same listener
    // removes exactly that one.
    Runnable registration = () -> listener.run();
    listeners.add(registration);
    return () -> listeners.remove(registration);
  }

  private void notifyListeners() {
    @Nullable RuntimeException failure = null;
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Returns this clock: a retry deadline runs in the same fake time as the waits.
   *
   * @return this clock
   */
  @Override
  public Clock elapsedClock() {
    return this;
  }

  /**
   * Advances the clock by {@code duration} instead of sleeping, and keeps the wait in {@link
   * #sleeps()}.
   *
   * @param duration the wait
   * @throws NullPointerException if {@code duration} is null
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  @Override
  public void sleep(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, but was " + duration);
    }
    // Kept before the move, so that a listener woken by it sees this sleep in sleeps().
    sleeps.add(duration);
    advance(duration);
  }

  /**
   * Returns every wait passed to {@link #sleep(Duration)} so far, oldest first.
   *
   * @return an unmodifiable copy of the waits
   */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /**
   * Sets the clock to {@code instant}, forward or backward; for simulating a wall clock that jumps.
   *
   * @param instant the instant
   * @return this clock
   */
  public FakeClock set(Instant instant) {
    now.set(requireNonNull(instant, "instant"));
    notifyListeners();
    return this;
  }

  @Override
  public Instant instant() {
    // Never null: the factory and set() refuse null, advance() only adds.
    return requireNonNull(now.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a clock in {@code zone} that shares this clock's instant. */
  @Override
  public FakeClock withZone(ZoneId zone) {
    return new FakeClock(now, sleeps, listeners, requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "FakeClock[" + now.get() + ", " + zone + "]";
  }
}
