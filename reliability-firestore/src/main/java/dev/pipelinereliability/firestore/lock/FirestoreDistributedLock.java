package dev.pipelinereliability.firestore.lock;

import static java.util.Objects.requireNonNull;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.firestore.internal.DocumentIds;
import dev.pipelinereliability.firestore.internal.Retention;
import dev.pipelinereliability.firestore.internal.RpcTimeouts;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DistributedLock} and {@link LockAdmin} whose state is one Firestore document per {@link
 * LockKey}, written with {@code create()} and {@code updatedAt} preconditions (no read-write
 * transactions). Leases are judged by server time only, so instances whose clocks disagree never
 * hold a key together; fencing tokens live in the document and only grow. The module README
 * describes the protocol, its costs and its limits.
 *
 * <p>Every Firestore call has a deadline ({@link Builder#rpcTimeout(Duration)}); a store that fails
 * or does not answer in time is a {@link LockUnavailableException}, and nothing is acquired. Never
 * closes the {@link Firestore} client it was given. Thread-safe: one instance serves a process.
 */
public final class FirestoreDistributedLock implements DistributedLock, LockAdmin {
  /** The collection used unless {@link Builder#collection(String)} says otherwise. */
  public static final String DEFAULT_COLLECTION = "pipeline_reliability_locks";

  /** The deadline of each Firestore call unless {@link Builder#rpcTimeout(Duration)} is set. */
  public static final Duration DEFAULT_RPC_TIMEOUT = RpcTimeouts.DEFAULT;

  /** How long after a lease ends {@code expireAt} lies, unless {@link Builder#retention}. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  private static final ScheduledExecutorService SHARED_RENEWALS =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "firestore-lock-renewal");
            t.setDaemon(true);
            return t;
          });

  private final LockStore store;
  private final Acquirer acquirer;
  private final LockWaiter waiter;
  private final FirestoreLockAdmin admin;

  /**
   * Returns a lock on {@code firestore} with every default: collection {@value
   * #DEFAULT_COLLECTION}, 10 s call deadline, the system clock.
   *
   * @param firestore the client; never closed by the lock
   * @return the lock
   * @throws NullPointerException if {@code firestore} is null
   */
  public static FirestoreDistributedLock create(Firestore firestore) {
    return builder(firestore).build();
  }

  private FirestoreDistributedLock(Builder b) {
    this.store =
        new LockStore(
            b.firestore.collection(b.collection),
            b.documentIds,
            b.clock,
            b.rpcTimeout,
            b.retention,
            b.renewals,
            b.instanceName,
            b.writes,
            b.sleeper,
            (b.openTelemetry == null
                    ? ReliabilityTelemetry.global()
                    : ReliabilityTelemetry.of(b.openTelemetry))
                .lock(b.clock));
    this.acquirer = new Acquirer(store);
    this.waiter = new LockWaiter(store, acquirer);
    this.admin = new FirestoreLockAdmin(store);
  }

  /**
   * Returns a builder for a lock on {@code firestore}, which the lock never closes.
   *
   * @param firestore the client; never closed by the lock
   * @return a builder with every default
   * @throws NullPointerException if {@code firestore} is null
   */
  public static Builder builder(Firestore firestore) {
    return new Builder(firestore);
  }

  /**
   * Returns the default document id of {@code key}: {@code <type>~<key>} with every character
   * outside {@code [A-Za-z0-9_:-]} percent-encoded as UTF-8, or {@code <type>~~sha256-<hex>} when
   * that would exceed Firestore's 1,500 bytes. Distinct keys get distinct, valid ids.
   *
   * @param key the key
   * @return the document id
   * @throws NullPointerException if {@code key} is null
   */
  public static String defaultDocumentId(LockKey key) {
    requireNonNull(key, "key");
    return DocumentIds.of(key.type(), key.key());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two calls when the key is free: a read, then a create or conditional update.
   *
   * @throws IllegalArgumentException if the configured document id of {@code key} is not a valid
   *     Firestore document id
   */
  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    DocumentReference doc = store.document(key);
    return store
        .metrics()
        .timeTryAcquire(
            key.type(),
            () -> Optional.<LockHandle>ofNullable(acquirer.attempt(doc, key, options).handle));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A waiter listens to the document and tries again on every change, when the holder's lease
   * runs out, and on a backoff poll.
   *
   * @throws IllegalArgumentException if the configured document id of {@code key} is not a valid
   *     Firestore document id
   */
  @Override
  public LockHandle acquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    DocumentReference doc = store.document(key);
    return store.metrics().timeAcquire(key.type(), () -> waiter.acquire(doc, key, options));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query, judged at its server read time; documents this library did not write are skipped.
   */
  @Override
  public List<LockInfo> listHeld() {
    return admin.listHeld();
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query, judged at its server read time. A document stays listed until its key is acquired
   * again or a TTL policy deletes it ({@link Builder#retention} after its lease end).
   */
  @Override
  public List<LockInfo> listAbandoned() {
    return admin.listAbandoned();
  }

  @Override
  public boolean forceRelease(LockKey key, String reason) {
    return admin.forceRelease(key, reason);
  }

  @Override
  public String toString() {
    return "FirestoreDistributedLock{" + store.collection().getPath() + "}";
  }

  /**
   * Builds a {@link FirestoreDistributedLock}; every setter validates its value at once. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Firestore firestore;
    private String collection = DEFAULT_COLLECTION;
    private Function<LockKey, String> documentIds = FirestoreDistributedLock::defaultDocumentId;
    private Clock clock = Clock.systemUTC();
    private Duration rpcTimeout = DEFAULT_RPC_TIMEOUT;
    private Duration retention = DEFAULT_RETENTION;
    private ScheduledExecutorService renewals = SHARED_RENEWALS;
    private @Nullable String instanceName;
    private LockStore.WriteSender writes = Supplier::get;
    private Sleeper sleeper = Sleeper.system();
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(Firestore firestore) {
      this.firestore = requireNonNull(firestore, "firestore");
    }

    /**
     * Sets the collection of the lock documents; {@value #DEFAULT_COLLECTION} by default.
     *
     * @param collection the collection
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid top-level collection id
     */
    public Builder collection(String collection) {
      this.collection = DocumentIds.checkCollection(collection);
      return this;
    }

    /**
     * Sets how a key becomes a document id; {@link #defaultDocumentId(LockKey)} by default. The
     * function must give distinct keys distinct ids; an id Firestore would reject fails the call
     * that uses it with an {@link IllegalArgumentException} before anything is written.
     *
     * @param documentIds the document ids
     * @return this builder
     */
    public Builder documentIds(Function<LockKey, String> documentIds) {
      this.documentIds = requireNonNull(documentIds, "documentIds");
      return this;
    }

    /**
     * Sets the clock that measures local durations (the wait deadline, the local lease estimate).
     * It never judges a lease: the server's time does.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the deadline of each Firestore call, 10 s by default. A renewal of a lock held with
     * background renewal gets the shorter of this and a third of its lease, so that one slow
     * renewal cannot outlast the lease it extends.
     *
     * @param rpcTimeout the rpc timeout
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than 5 minutes
     */
    public Builder rpcTimeout(Duration rpcTimeout) {
      this.rpcTimeout = RpcTimeouts.check(rpcTimeout);
      return this;
    }

    /**
     * Sets how long after the end of its last lease a lock document's {@code expireAt} (the TTL
     * field) lies; 7 days by default.
     *
     * @param retention the retention
     * @return this builder
     * @throws IllegalArgumentException if shorter than one hour
     */
    public Builder retention(Duration retention) {
      this.retention = Retention.check(retention, Duration.ofHours(1));
      return this;
    }

    /**
     * Sets the executor of background renewals, which the lock never shuts down; by default a
     * shared pool of two daemon threads.
     *
     * @param renewals the renewals
     * @return this builder
     */
    public Builder renewalExecutor(ScheduledExecutorService renewals) {
      this.renewals = requireNonNull(renewals, "renewals");
      return this;
    }

    /**
     * Sets the instance name stored with each acquisition for humans; by default Cloud Run's {@code
     * K_REVISION} or {@code K_SERVICE}, else empty.
     *
     * @param instanceName the instance name
     * @return this builder
     */
    public Builder instanceName(String instanceName) {
      this.instanceName = requireNonNull(instanceName, "instanceName");
      return this;
    }

    /**
     * Sets where the lock reports its metrics: acquire waits by outcome and holds (timed on the
     * {@link #clock(Clock)}), lost leases by cause, failed renewals; see the root README's
     * Telemetry section. Default: {@link GlobalOpenTelemetry#get()}, read once by {@link #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** Replaces how writes are sent; for tests in this package only. */
    Builder writeSender(LockStore.WriteSender writes) {
      this.writes = requireNonNull(writes, "writes");
      return this;
    }

    /** Replaces the sleep between release confirmations; for tests in this package only. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Returns the lock.
     *
     * @return the lock
     */
    public FirestoreDistributedLock build() {
      return new FirestoreDistributedLock(this);
    }
  }
}
