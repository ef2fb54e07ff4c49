package dev.pipelinereliability.testkit.lock;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockOwner;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import dev.pipelinereliability.telemetry.LockMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.testkit.FakeClock;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DistributedLock} held in this JVM's memory, with the full semantics of the real
 * backends: leases that run out on the injected {@link Clock}, fencing tokens that never repeat for
 * a key, renewal, lost-lock detection and waiting acquirers. It passes the same {@link
 * DistributedLockContract} as the Firestore lock.
 *
 * <p>One instance plays the store shared by all "instances" of a processor: give every simulated
 * instance the same object.
 *
 * <p>Waiting acquirers are woken by a release at once. On a {@link FakeClock} they are also woken
 * by every move of the clock ({@link FakeClock#onChange(Runnable)}) and never re-read it in real
 * time: a test advances the clock once, past a lease or a {@code maxWait}, and the waiter acquires
 * or times out. {@link #awaitWaitingAcquirers(int, Duration)} tells the test when a waiter has
 * started waiting, since a wait's {@code maxWait} counts from its start. On any other clock they
 * re-read it at least every {@link #CLOCK_RECHECK} of real time, so that a clock they cannot
 * observe still lets leases run out and waits time out.
 *
 * <p>It is also a {@link LockAdmin}: it lists live leases and force-releases them like the real
 * backends.
 *
 * <p>Thread-safe.
 */
public final class InMemoryDistributedLock implements DistributedLock, LockAdmin {
  /** How often, in real time, a waiting acquirer re-reads a clock other than a FakeClock. */
  public static final Duration CLOCK_RECHECK = Duration.ofMillis(5);

  private static final ScheduledExecutorService SHARED_RENEWALS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "in-memory-lock-renewal");
            t.setDaemon(true);
            return t;
          });

  private final Clock clock;
  private final ScheduledExecutorService renewals;
  private final ReentrantLock mutex = new ReentrantLock();

  /** Signalled when a key may have become free: a release, a force-release, a FakeClock move. */
  private final Condition released = mutex.newCondition();

  /** Signalled when an acquire call starts waiting. */
  private final Condition waiterArrived = mutex.newCondition();

  private final Map<LockKey, Lease> leases = new HashMap<>();
  private final LockMetrics metrics;

  /** Acquire calls now waiting for a taken key; guarded by {@code mutex}. */
  private int waiting;

  /** The state of one key; {@code token} only grows, so tokens survive release and expiry. */
  private static final class Lease {
    long token;

    /** Null until the key's first acquisition; then always the last acquirer's. */
    @Nullable LockOwner owner;

    Instant since = Instant.MIN;
    Instant expiry = Instant.MIN;
    boolean held;

    /** Why the acquisition with {@code token} was force-released; null if it was not. */
    @Nullable String forcedReason;

    /** Until when a release before {@link LockOptions#holdAtLeast()} keeps the key taken. */
    Instant keptUntil = Instant.MIN;

    /** Whether an acquirer is refused at {@code now}: a live lease, or a minimum hold running. */
    boolean taken(Instant now) {
      return (held && now.isBefore(expiry)) || now.isBefore(keptUntil);
    }

    /** When the key is free again if nobody renews or releases. */
    Instant takenUntil() {
      return held && expiry.isAfter(keptUntil) ? expiry : keptUntil;
    }
  }

  /**
   * Creates a lock store on {@code clock}; background renewals run on a shared daemon thread.
   * Metrics go to {@link GlobalOpenTelemetry#get()}, read now.
   *
   * @param clock judges every lease; usually a {@code FakeClock}
   */
  public InMemoryDistributedLock(Clock clock) {
    this(SHARED_RENEWALS, GlobalOpenTelemetry.get(), clock);
  }

  /**
   * Creates a lock store on {@code clock} whose background renewals run on {@code renewals}, which
   * this object never shuts down. Metrics go to {@link GlobalOpenTelemetry#get()}, read now.
   *
   * @param clock the clock
   * @param renewals the renewals
   */
  public InMemoryDistributedLock(Clock clock, ScheduledExecutorService renewals) {
    this(renewals, GlobalOpenTelemetry.get(), clock);
  }

  /**
   * Creates a lock store on {@code clock} that reports its metrics (acquire waits and holds timed
   * on {@code clock}, lost leases, failed renewals) to {@code openTelemetry}; background renewals
   * run on a shared daemon thread.
   *
   * @param openTelemetry the OpenTelemetry instance
   * @param clock judges every lease and times the metrics; usually a {@code FakeClock}
   */
  public InMemoryDistributedLock(OpenTelemetry openTelemetry, Clock clock) {
    this(SHARED_RENEWALS, openTelemetry, clock);
  }

  /**
   * As {@link #InMemoryDistributedLock(OpenTelemetry, Clock)}, with background renewals on {@code
   * renewals}, which this object never shuts down.
   *
   * @param renewals the renewals
   * @param openTelemetry the OpenTelemetry instance
   * @param clock the clock
   */
  public InMemoryDistributedLock(
      ScheduledExecutorService renewals, OpenTelemetry openTelemetry, Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    this.renewals = requireNonNull(renewals, "renewals");
    this.metrics = ReliabilityTelemetry.of(openTelemetry).lock(clock);
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    return metrics.timeTryAcquire(key.type(), () -> tryClaim(key, options));
  }

  private Optional<LockHandle> tryClaim(LockKey key, LockOptions options) {
    mutex.lock();
    try {
      return Optional.ofNullable(claim(key, options));
    } finally {
      mutex.unlock();
    }
  }

  @Override
  public LockHandle acquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    return metrics.timeAcquire(key.type(), () -> awaitClaim(key, options));
  }

  private LockHandle awaitClaim(LockKey key, LockOptions options) {
    Instant deadline = clock.instant().plus(options.maxWait());
    @Nullable FakeClock fakeClock = clock instanceof FakeClock fake ? fake : null;
    // Taken only once the call must wait, so that an acquire of a free key costs what it did.
    FakeClock.@Nullable Subscription clockMoves = null;
    boolean counted = false;
    mutex.lock();
    try {
      while (true) {
        LockHandle handle = claim(key, options);
        if (handle != null) {
          return handle;
        }
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
          throw new LockTimeoutException(key, options.maxWait());
        }
        if (fakeClock != null && clockMoves == null) {
          clockMoves = fakeClock.onChange(this::wakeWaiters);
          // The clock may have moved between the read above and the subscription: read it again
          // before waiting, since that move will not signal.
          continue;
        }
        if (!counted) {
          counted = true;
          waiting++;
          waiterArrived.signalAll();
        }
        if (clockMoves != null) {
          // Nothing but a release or a move of the clock can free the key or end the wait.
          released.await();
        } else {
          Instant wakeAt = min(deadline, leaseOf(key).takenUntil());
          long nanos = Math.min(Duration.between(now, wakeAt).toNanos(), CLOCK_RECHECK.toNanos());
          released.await(Math.max(nanos, 1), TimeUnit.NANOSECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReliabilityException("interrupted while waiting for lock " + key, e);
    } finally {
      if (counted) {
        waiting--;
      }
      mutex.unlock();
      if (clockMoves != null) {
        clockMoves.close();
      }
    }
  }

  /** Lets waiting acquirers re-read the clock; runs on the thread that moved a FakeClock. */
  private void wakeWaiters() {
    mutex.lock();
    try {
      released.signalAll();
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Blocks until at least {@code count} {@code acquire} calls on this store are waiting for a taken
   * key, or {@code timeout} of real time has passed. A waiting call has read the clock for its
   * {@code maxWait}; a test that then advances a {@link FakeClock} past that wait sees the call
   * time out, with no further step. A call stops counting when it returns or throws.
   *
   * @param count how many waiting calls to wait for, at least 1
   * @param timeout the longest real time to block; a safety net, not a pause
   * @return whether {@code count} calls were waiting before {@code timeout} passed
   * @throws IllegalArgumentException if {@code count} is below 1 or {@code timeout} is negative
   * @throws NullPointerException if {@code timeout} is null
   * @throws InterruptedException if the calling thread is interrupted while blocked
   */
  public boolean awaitWaitingAcquirers(int count, Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, but was " + count);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, but was " + timeout);
    }
    long nanos = TimeUnit.NANOSECONDS.convert(timeout);
    mutex.lock();
    try {
      while (waiting < count) {
        if (nanos <= 0) {
          return false;
        }
        nanos = waiterArrived.awaitNanos(nanos);
      }
      return true;
    } finally {
      mutex.unlock();
    }
  }

  /** Claims the key if free; called with the mutex held. */
  private @Nullable Handle claim(LockKey key, LockOptions options) {
    Lease lease = leases.computeIfAbsent(key, k -> new Lease());
    Instant now = clock.instant();
    if (lease.taken(now)) {
      return null;
    }
    lease.token++;
    LockOwner owner = LockOwner.forThisProcess(UUID.randomUUID().toString());
    lease.owner = owner;
    lease.since = now;
    lease.expiry = now.plus(options.leaseDuration());
    lease.held = true;
    lease.forcedReason = null;
    lease.keptUntil = Instant.MIN;
    Handle handle = new Handle(key, owner.id(), lease.token, lease.expiry, options);
    if (options.backgroundRenewal()) {
      handle.startRenewal();
    }
    return handle;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Judged by this store's clock; never throws {@code LockUnavailableException}.
   */
  @Override
  public List<LockInfo> listHeld() {
    return listMarkedHeld(true);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Judged by this store's clock; kept until the key is acquired again. Never throws {@code
   * LockUnavailableException}.
   */
  @Override
  public List<LockInfo> listAbandoned() {
    return listMarkedHeld(false);
  }

  /** The locks marked held whose lease is live ({@code live}) or has run out. */
  private List<LockInfo> listMarkedHeld(boolean live) {
    mutex.lock();
    try {
      Instant now = clock.instant();
      List<LockInfo> listed = new ArrayList<>();
      leases.forEach(
          (key, lease) -> {
            if (lease.held && now.isBefore(lease.expiry) == live) {
              // A held lease has been acquired, so it has an owner.
              LockOwner owner = requireNonNull(lease.owner, "owner");
              listed.add(new LockInfo(key, owner, lease.since, lease.expiry, lease.token));
            }
          });
      listed.sort(BY_KEY);
      return listed;
    } finally {
      mutex.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never throws {@code LockUnavailableException}.
   */
  @Override
  public boolean forceRelease(LockKey key, String reason) {
    requireNonNull(key, "key");
    requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank, but was '" + reason + "'");
    }
    mutex.lock();
    try {
      Lease lease = leases.get(key);
      Instant now = clock.instant();
      if (lease == null || !(lease.held || lease.taken(now))) {
        return false;
      }
      boolean live = lease.taken(now);
      lease.held = false;
      lease.keptUntil = Instant.MIN;
      lease.forcedReason = reason;
      released.signalAll();
      return live;
    } finally {
      mutex.unlock();
    }
  }

  private static final Comparator<LockInfo> BY_KEY =
      Comparator.comparing((LockInfo i) -> i.key().type()).thenComparing(i -> i.key().key());

  /** The lease of a key that has been claimed (leases are never removed); mutex held. */
  private Lease leaseOf(LockKey key) {
    Lease lease = leases.get(key);
    if (lease == null) {
      throw new IllegalStateException("no lease for a claimed key " + key);
    }
    return lease;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private final class Handle extends AbstractLockHandle {
    Handle(LockKey key, String owner, long token, Instant expiry, LockOptions options) {
      super(key, owner, token, expiry, options, metrics);
    }

    void startRenewal() {
      // In-memory renewals never block, so the expiry watch can share their executor (and a
      // test that runs the executor's tasks by hand drives both).
      startBackgroundRenewal(renewals, renewals);
    }

    /** Whether the store's lease for the key is this acquisition's and live; mutex held. */
    private boolean holdsLive(Lease lease) {
      return lease.held && lease.token == fencingToken() && clock.instant().isBefore(lease.expiry);
    }

    /**
     * Judged, like the Firestore handle's, by this handle's own lease end without looking at the
     * store: a force-release or a takeover is learned at checkValid(), renew() or close(), with its
     * real reason.
     */
    @Override
    protected Duration timeLeftLocally() {
      return Duration.between(clock.instant(), leaseExpiry());
    }

    @Override
    protected boolean leaseLooksLive() {
      return clock.instant().isBefore(leaseExpiry());
    }

    @Override
    protected void confirmHeld() {
      mutex.lock();
      try {
        if (!holdsLive(leaseOf(key()))) {
          throw lost();
        }
      } finally {
        mutex.unlock();
      }
    }

    @Override
    protected Instant renewInStore(Duration leaseDuration) {
      mutex.lock();
      try {
        Lease lease = leaseOf(key());
        if (!holdsLive(lease)) {
          throw lost();
        }
        lease.expiry = clock.instant().plus(leaseDuration);
        return lease.expiry;
      } finally {
        mutex.unlock();
      }
    }

    @Override
    protected void releaseInStore() {
      mutex.lock();
      try {
        Lease lease = leaseOf(key());
        if (lease.token != fencingToken() || !lease.held) {
          throw lost();
        }
        lease.held = false;
        // Measured from the acquisition, on the store's clock, like the lease itself.
        lease.keptUntil = lease.since.plus(options().holdAtLeast());
        released.signalAll();
      } finally {
        mutex.unlock();
      }
    }

    private LockLostException lost() {
      mutex.lock();
      try {
        Lease lease = leaseOf(key());
        if (lease.token != fencingToken()) {
          return new LockLostException(
              key(),
              LockLossCause.TAKEN_OVER,
              "taken over by token " + lease.token + " after the lease ran out");
        }
        if (lease.forcedReason != null) {
          return new LockLostException(
              key(), LockLossCause.FORCE_RELEASED, "force-released: " + lease.forcedReason);
        }
        return new LockLostException(
            key(), LockLossCause.EXPIRED, "the lease ran out at " + lease.expiry);
      } finally {
        mutex.unlock();
      }
    }
  }
}
