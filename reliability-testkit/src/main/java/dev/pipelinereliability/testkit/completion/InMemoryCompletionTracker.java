package dev.pipelinereliability.testkit.completion;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.completion.spi.CompletionStore;
import dev.pipelinereliability.completion.spi.ForwardingCompletionTracker;
import dev.pipelinereliability.completion.spi.StateChange;
import dev.pipelinereliability.completion.spi.StoreBackedCompletionTracker;
import dev.pipelinereliability.completion.spi.StoredState;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.retry.Sleeper;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CompletionTracker} that keeps state in memory, for tests of code that records
 * completions: the library's {@link StoreBackedCompletionTracker} over an in-memory {@link Store}.
 * It passes the same {@code CompletionTrackerContract} as the Firestore tracker: each key is a
 * versioned value, and writes are write-if-unchanged on the version, so concurrent callers race
 * exactly as they do against Firestore.
 *
 * <p>Several trackers (one per simulated orchestrator instance) share one store through {@link
 * #withStore(Store, CompletionConfig, TriggerPublisher, Clock)}; {@link #store()} also lets a test
 * preload or inspect raw state.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCompletionTracker extends ForwardingCompletionTracker {

  private final Store store;
  private final CompletionTracker tracker;

  /**
   * Creates a tracker over a new, empty store.
   *
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param clock the time of completions, claims and deadlines (a {@code FakeClock} in tests)
   */
  public InMemoryCompletionTracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    this(new Store(), config, publisher, RetryPolicy.DEFAULT, Sleeper.system(), null, clock);
  }

  /**
   * Creates a tracker over a new, empty store that reports its metrics (deliveries, triggers, time
   * to trigger) to {@code openTelemetry}.
   *
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param openTelemetry the OpenTelemetry instance
   * @param clock the time of completions, claims and deadlines (a {@code FakeClock} in tests)
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public InMemoryCompletionTracker(
      CompletionConfig config,
      TriggerPublisher publisher,
      OpenTelemetry openTelemetry,
      Clock clock) {
    this(
        new Store(),
        config,
        publisher,
        RetryPolicy.DEFAULT,
        Sleeper.system(),
        requireNonNull(openTelemetry, "openTelemetry"),
        clock);
  }

  /** {@code openTelemetry} null means the tracker's default, the global instance. */
  private InMemoryCompletionTracker(
      Store store,
      CompletionConfig config,
      TriggerPublisher publisher,
      RetryPolicy retryPolicy,
      Sleeper sleeper,
      @Nullable OpenTelemetry openTelemetry,
      Clock clock) {
    this.store = requireNonNull(store, "store");
    StoreBackedCompletionTracker.Builder builder =
        StoreBackedCompletionTracker.builder(store, config, publisher)
            .clock(clock)
            .retryPolicy(retryPolicy)
            .sleeper(sleeper);
    if (openTelemetry != null) {
      builder.openTelemetry(openTelemetry);
    }
    this.tracker = builder.build();
  }

  /**
   * Returns a tracker over {@code store} whose retries of lost writes follow {@code retryPolicy},
   * waiting on {@code sleeper}; pass a {@code FakeClock} as both {@code sleeper} and {@code clock}
   * to check the backoff without sleeping.
   *
   * @param store the store, shared with every other tracker over it
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param retryPolicy the backoff between lost writes and the deadline of one operation
   * @param sleeper the wait between lost writes
   * @param clock the time of completions, claims and deadlines, and of the retry deadline
   * @return a new tracker
   */
  public static InMemoryCompletionTracker withStore(
      Store store,
      CompletionConfig config,
      TriggerPublisher publisher,
      RetryPolicy retryPolicy,
      Sleeper sleeper,
      Clock clock) {
    return new InMemoryCompletionTracker(
        store, config, publisher, retryPolicy, sleeper, null, clock);
  }

  /**
   * Returns a tracker over {@code store}, shared with every other tracker over it.
   *
   * @param store the store
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param clock the time of completions, claims and deadlines
   * @return a new tracker
   */
  public static InMemoryCompletionTracker withStore(
      Store store, CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    return new InMemoryCompletionTracker(
        store, config, publisher, RetryPolicy.DEFAULT, Sleeper.system(), null, clock);
  }

  /**
   * Returns a tracker over {@code store}, shared with every other tracker over it, that reports its
   * metrics to {@code openTelemetry}: several simulated orchestrator instances reporting to one
   * SDK.
   *
   * @param store the store
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @param openTelemetry the OpenTelemetry instance
   * @param clock the time of completions, claims and deadlines
   * @return a new tracker
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static InMemoryCompletionTracker withStore(
      Store store,
      CompletionConfig config,
      TriggerPublisher publisher,
      OpenTelemetry openTelemetry,
      Clock clock) {
    return new InMemoryCompletionTracker(
        store,
        config,
        publisher,
        RetryPolicy.DEFAULT,
        Sleeper.system(),
        requireNonNull(openTelemetry, "openTelemetry"),
        clock);
  }

  /**
   * Returns the store this tracker reads and writes.
   *
   * @return the store
   */
  public Store store() {
    return store;
  }

  @Override
  protected CompletionTracker delegate() {
    return tracker;
  }

  private record Versioned(CompletionState state, long version) {}

  /**
   * The shared state of in-memory trackers: one versioned {@link CompletionState} per key. Tests
   * use {@link #put} to preload a state, for example one written by an older orchestrator with a
   * drifted count.
   *
   * <p>Thread-safe.
   */
  public static final class Store implements CompletionStore {
    private final ConcurrentMap<CompletionKey, Versioned> docs = new ConcurrentHashMap<>();
    private final Runnable beforeWrite;
    private final AtomicInteger lostResponses = new AtomicInteger();

    /** Creates an empty store. */
    public Store() {
      this(() -> {});
    }

    /**
     * Creates an empty store that runs {@code beforeWrite} between a tracker's read and its write.
     * Concurrency tests pass a short pause here: in memory, reads and writes are so close together
     * that racing callers rarely interleave, and a race that never happens proves nothing.
     *
     * @param beforeWrite run before every write
     */
    public Store(Runnable beforeWrite) {
      this.beforeWrite = requireNonNull(beforeWrite, "beforeWrite");
    }

    /**
     * Makes the next {@code n} compare-and-sets that apply report a conflict anyway, as a store
     * client does when it retried a write whose first attempt landed but whose answer was lost.
     *
     * @param n how many applied writes to report as lost
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void loseNextWriteResponses(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("n must be zero or positive, but was " + n);
      }
      lostResponses.set(n);
    }

    @Override
    public StoredState read(CompletionKey key, PhaseConfig phase) {
      Versioned v = docs.get(key);
      if (v == null) {
        return new StoredState(CompletionState.empty(key, phase.expected()), Optional.empty());
      }
      CompletionState s = v.state;
      // Expected processors are configuration, not state: show the reader's configuration.
      CompletionState withExpected =
          new CompletionState(
              key,
              phase.expected(),
              s.completions(),
              s.storedCount(),
              s.trigger(),
              s.triggerGeneration(),
              s.auditTrail());
      return new StoredState(withExpected, Optional.of(v.version));
    }

    @Override
    public Optional<Object> writeIfUnchanged(
        CompletionKey key, StoredState expected, StateChange change) {
      beforeWrite.run();
      AtomicReference<Object> written = new AtomicReference<>();
      docs.compute(
          key,
          (k, v) -> {
            Optional<Object> current = v == null ? Optional.empty() : Optional.of(v.version);
            if (!current.equals(expected.version())) {
              return v;
            }
            CompletionState base = v == null ? CompletionState.empty(k, Set.of()) : v.state;
            Versioned next = new Versioned(change.applyTo(base), v == null ? 1 : v.version + 1);
            written.set(next.version);
            return next;
          });
      if (written.get() != null && lostResponses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        // Landed, but the caller is told it lost: what a client's automatic retry of a write whose
        // first answer was lost reports (ALREADY_EXISTS / FAILED_PRECONDITION on Firestore).
        return Optional.empty();
      }
      return Optional.ofNullable(written.get());
    }

    /**
     * Replaces the stored state of {@code state.key()} with {@code state}, as a new version.
     *
     * @param state the state to store, as an older orchestrator might have left it
     */
    public void put(CompletionState state) {
      requireNonNull(state, "state");
      docs.compute(state.key(), (k, v) -> new Versioned(state, v == null ? 1 : v.version + 1));
    }

    /**
     * Returns the raw stored state of {@code key}, if any.
     *
     * @param key the phase and date
     * @return the raw stored state of {@code key}, if any
     */
    public Optional<CompletionState> get(CompletionKey key) {
      return Optional.ofNullable(docs.get(requireNonNull(key, "key"))).map(v -> v.state);
    }
  }
}
