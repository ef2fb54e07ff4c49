package dev.pipelinereliability.firestore.lock;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.firestore.internal.DocumentIds;
import dev.pipelinereliability.firestore.internal.RpcTimeouts;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockOwner;
import dev.pipelinereliability.lock.LockTimeoutException;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DistributedLock} whose state is one Firestore document per {@link LockKey}.
 *
 * <p>How it keeps the promises of {@link DistributedLock}:
 *
 * <ul>
 *   <li><b>No read-write transactions.</b> An acquisition reads the document, then either {@code
 *       create()}s it (new key) or updates it with {@code Precondition.updatedAt(version read)}.
 *       Renewal and release are updates guarded by the version this handle last wrote. Of two
 *       racing writers exactly one wins; the loser re-reads. (Read-write transactions take
 *       pessimistic locks and fail under contention.)
 *   <li><b>Server time only.</b> A lease is live while a snapshot's read time is before the
 *       document's update time plus the stored lease. No client clock takes part, so instances
 *       whose clocks disagree by minutes still never hold a key together. The injected {@link
 *       Clock} measures only local durations (the wait deadline, and a conservative local estimate
 *       of the own lease for {@link LockHandle#isValid()}), where a constant offset cancels out.
 *   <li><b>Fencing.</b> The document keeps a token that grows by one on every acquisition. Release
 *       marks the document released and never deletes it, so the token never starts over. A new
 *       document starts at the server time in microseconds, so even after a TTL policy collected an
 *       old document the next token is larger than the old ones.
 *   <li><b>Garbage collection.</b> {@code expireAt} is set to the lease end plus {@link
 *       Builder#retention(Duration)} (7 days by default). Configure a Firestore TTL policy on that
 *       field of the collection to delete long-unused lock documents.
 *   <li><b>Owner.</b> A random id per acquisition, stored with host, pid and instance for humans.
 *   <li><b>Minimum hold.</b> A handle acquired with {@link LockOptions#holdAtLeast()} that is
 *       closed early marks the document released with {@code keptUntil} = its acquisition write's
 *       server time plus the hold; acquirers are refused until a snapshot's read time passes it.
 *   <li><b>Unclear release.</b> A release answered without a clear result (UNKNOWN, a deadline) is
 *       confirmed by a re-read and sent again while the document still shows this acquisition, for
 *       at most one more {@link Builder#rpcTimeout(Duration)}, so a finished run frees its key at
 *       once rather than when its lease runs out.
 *   <li><b>Waiting.</b> A waiter listens to the document and tries again on every change, also
 *       wakes when the holder's lease runs out, and polls with a backoff (100 ms doubling to 5 s)
 *       only in case the listener misses something. A listener that fails is logged at WARN and
 *       registered again at the waiter's next wake-up.
 *   <li><b>Failures.</b> Every call has a deadline ({@link Builder#rpcTimeout(Duration)}; with
 *       background renewal a renewal call gets the shorter of that and a third of the lease). A
 *       store that does not answer in time or fails is a {@link LockUnavailableException}: nothing
 *       is acquired. A timed-out acquisition write may still have landed; the lock then re-reads
 *       once and recognises its own random owner id. Only if that read fails too does the lock stay
 *       taken until its lease runs out, which is safe but costs a lease.
 * </ul>
 *
 * <p>Costs: an uncontended acquisition is 2 calls (read, then create or conditional update); a
 * release is 1; a renewal is 1; {@link LockHandle#checkValid()} is 1 read; {@link
 * LockHandle#isValid()} makes none.
 *
 * <p>Document ids: by default {@code <type>~<key>} with every character outside {@code
 * [A-Za-z0-9_:-]} percent-encoded as UTF-8 (so {@code /}, {@code .}, {@code ..} and {@code
 * __name__} are safe), or {@code <type>~~sha256-<hex>} when that would exceed Firestore's 1,500
 * bytes. The key itself is always stored in the document.
 *
 * <p>Never closes the {@link Firestore} client it was given. Thread-safe: one instance serves a
 * whole process.
 */
public final class FirestoreDistributedLock implements DistributedLock, LockAdmin {
  /** The collection used unless {@link Builder#collection(String)} says otherwise. */
  public static final String DEFAULT_COLLECTION = "pipeline_reliability_locks";

  /** The deadline of each Firestore call unless {@link Builder#rpcTimeout(Duration)} is set. */
  public static final Duration DEFAULT_RPC_TIMEOUT = RpcTimeouts.DEFAULT;

  /** How long after a lease ends {@code expireAt} lies, unless {@link Builder#retention}. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  private static final Duration FIRST_POLL = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofSeconds(5);

  /** How far past a holder's server-side lease end a waiter wakes to try again. */
  private static final Duration LEASE_END_MARGIN = Duration.ofMillis(5);

  /** Write races lost in a row before a single attempt gives up and reports the lock held. */
  private static final int MAX_CONFLICTS_PER_ATTEMPT = 5;

  private static final Logger log = LoggerFactory.getLogger(FirestoreDistributedLock.class);

  private static final ScheduledExecutorService SHARED_RENEWALS =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "firestore-lock-renewal");
            t.setDaemon(true);
            return t;
          });

  private final CollectionReference collection;
  private final Function<LockKey, String> documentIds;
  private final Clock clock;
  private final Duration rpcTimeout;
  private final Duration retention;
  private final ScheduledExecutorService renewals;
  private final String instanceName;
  private final WriteSender writes;

  /**
   * Creates a lock on {@code firestore} with every default: collection {@value
   * #DEFAULT_COLLECTION}, 10 s call deadline, the system clock.
   *
   * @param firestore the firestore
   */
  public FirestoreDistributedLock(Firestore firestore) {
    this(builder(firestore));
  }

  private FirestoreDistributedLock(Builder b) {
    this.collection = b.firestore.collection(b.collection);
    this.documentIds = b.documentIds;
    this.clock = b.clock;
    this.rpcTimeout = b.rpcTimeout;
    this.retention = b.retention;
    this.renewals = b.renewals;
    this.instanceName = b.instanceName;
    this.writes = b.writes;
  }

  /**
   * Returns a builder for a lock on {@code firestore}, which the lock never closes.
   *
   * @param firestore the firestore
   * @return a builder for a lock on {@code firestore}, which the lock never closes
   */
  public static Builder builder(Firestore firestore) {
    return new Builder(firestore);
  }

  /**
   * Returns the default document id of {@code key}: see the class documentation. Distinct keys get
   * distinct ids; the result is always a valid Firestore document id.
   *
   * @param key the key
   * @return the default document id of {@code key}: see the class documentation
   */
  public static String defaultDocumentId(LockKey key) {
    requireNonNull(key, "key");
    return DocumentIds.of(key.type(), key.key());
  }

  @Override
  public Optional<LockHandle> tryAcquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    DocumentReference doc = document(key);
    Attempt attempt = attempt(doc, key, options);
    return Optional.ofNullable(attempt.handle);
  }

  @Override
  public LockHandle acquire(LockKey key, LockOptions options) {
    requireNonNull(key, "key");
    requireNonNull(options, "options");
    DocumentReference doc = document(key);
    long start = clock.millis();
    long deadline = start + options.maxWait().toMillis();
    Attempt attempt = attempt(doc, key, options);
    if (attempt.handle != null) {
      return attempt.handle;
    }
    if (options.maxWait().isZero()) {
      throw new LockTimeoutException(key, options.maxWait());
    }
    BlockingQueue<DocumentSnapshot> changes = new LinkedBlockingQueue<>();
    AtomicBoolean listenerFailed = new AtomicBoolean();
    ListenerRegistration listener = listen(doc, key, changes, listenerFailed);
    try {
      long poll = FIRST_POLL.toMillis();
      long leaseEndAt = leaseEndAt(attempt.observed);
      while (true) {
        long now = clock.millis();
        if (now >= deadline) {
          throw new LockTimeoutException(key, Duration.ofMillis(now - start));
        }
        if (listenerFailed.getAndSet(false)) {
          // A failed listener delivers nothing more; the polls below cover the gap until then.
          listener.remove();
          listener = listen(doc, key, changes, listenerFailed);
        }
        long wait = Math.max(1, Math.min(deadline - now, Math.min(poll, leaseEndAt - now)));
        DocumentSnapshot change = changes.poll(wait, TimeUnit.MILLISECONDS);
        if (change != null) {
          DocumentSnapshot newer;
          while ((newer = changes.poll()) != null) {
            change = newer;
          }
          attempt = claimFrom(doc, key, options, new LockDocument(change));
        } else {
          attempt = attempt(doc, key, options);
          poll = Math.min(poll * 2, MAX_POLL.toMillis());
        }
        if (attempt.handle != null) {
          return attempt.handle;
        }
        if (attempt.observed != null && attempt.observed.live()) {
          leaseEndAt = leaseEndAt(attempt.observed);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReliabilityException("interrupted while waiting for lock " + key, e);
    } finally {
      listener.remove();
    }
  }

  /**
   * Listens to {@code doc}, queueing every snapshot. A failed listener is logged at WARN and
   * flagged in {@code failed}, and the waiting loop registers a new one on its next wake-up (at
   * most one poll interval later), so a waiter never silently degrades to polling alone.
   */
  private static ListenerRegistration listen(
      DocumentReference doc,
      LockKey key,
      BlockingQueue<DocumentSnapshot> changes,
      AtomicBoolean failed) {
    return doc.addSnapshotListener(
        Runnable::run,
        (snapshot, error) -> {
          if (snapshot != null) {
            changes.add(snapshot);
          } else if (error != null) {
            log.warn(
                "Snapshot listener on lock {} failed; polling until it is registered again",
                key,
                error);
            failed.set(true);
          }
        });
  }

  /** The local time at which the lease seen in {@code held} has run out on the server. */
  private long leaseEndAt(LockDocument held) {
    if (held == null || !held.live()) {
      return clock.millis() + MAX_POLL.toMillis();
    }
    return clock.millis() + held.remaining().plus(LEASE_END_MARGIN).toMillis();
  }

  /** One acquisition attempt: read, and claim if free; go on from the re-read after a lost race. */
  private Attempt attempt(DocumentReference doc, LockKey key, LockOptions options) {
    Attempt attempt = null;
    for (int i = 0; i < MAX_CONFLICTS_PER_ATTEMPT; i++) {
      LockDocument current =
          attempt != null
              ? attempt.observed
              : new LockDocument(Rpc.read(doc.get(), rpcTimeout, key, "read"));
      attempt = claimFrom(doc, key, options, current);
      if (!attempt.conflict) {
        return attempt;
      }
    }
    return attempt;
  }

  /**
   * Claims the lock if {@code seen} shows it free: one write, conditional on the version seen.
   * Returns the handle, or what was seen (held), or a conflict (someone wrote since).
   */
  private Attempt claimFrom(
      DocumentReference doc, LockKey key, LockOptions options, LockDocument seen) {
    if (seen.live()) {
      return Attempt.held(seen);
    }
    LockOwner owner = owner();
    long token;
    try {
      token = seen.exists() ? seen.token() + 1 : LockDocument.firstToken(seen.readTime());
    } catch (IllegalStateException corrupt) {
      throw new LockUnavailableException(key, corrupt.getMessage(), corrupt);
    }
    Timestamp expireAt = expireAt(seen.readTime(), options.leaseDuration());
    var fields = LockDocument.acquisition(key, owner, token, options.leaseDuration(), expireAt);
    long sentAt = clock.millis();
    Timestamp version;
    try {
      version =
          Rpc.await(
                  send(
                      seen.exists()
                          ? () -> doc.update(fields, Precondition.updatedAt(seen.version()))
                          : () -> doc.create(fields)),
                  rpcTimeout,
                  key,
                  "acquisition")
              .getUpdateTime();
    } catch (Rpc.Conflict lostRace) {
      // Either someone else wrote first, or the client retried our write after its first attempt
      // had landed (commits are retried on UNAVAILABLE), and the retry met our own document. Only
      // the document can tell: our random owner id with our token means the write is ours.
      LockDocument after =
          new LockDocument(Rpc.read(doc.get(), rpcTimeout, key, "read after a write conflict"));
      if (!after.isLiveAcquisition(owner.id(), token)) {
        return Attempt.conflict(after);
      }
      log.debug("Acquisition of lock {} (token {}) landed before a retry of it", key, token);
      version = after.version();
    } catch (LockUnavailableException ambiguous) {
      version = landedAnyway(doc, key, owner.id(), token, ambiguous);
    }
    FirestoreLockHandle handle =
        new FirestoreLockHandle(this, doc, key, owner.id(), token, version, sentAt, options);
    if (options.backgroundRenewal()) {
      handle.startRenewal(renewals);
    }
    return Attempt.acquired(handle);
  }

  /**
   * After a write failed without a clear answer (the emulator answers UNKNOWN now and then, and a
   * production commit may be applied and still time out), reads the document once: if it shows this
   * very acquisition (its random owner id and token), the write landed and the lock is ours.
   * Otherwise the original failure stands; nothing is acquired.
   */
  private Timestamp landedAnyway(
      DocumentReference doc,
      LockKey key,
      String ownerId,
      long token,
      LockUnavailableException ambiguous) {
    LockDocument after;
    try {
      after = new LockDocument(Rpc.read(doc.get(), rpcTimeout, key, "read after failed write"));
    } catch (LockUnavailableException unreadable) {
      ambiguous.addSuppressed(unreadable);
      throw ambiguous;
    }
    if (after.exists()
        && after.heldFlag()
        && ownerId.equals(after.ownerId())
        && after.token() == token) {
      log.info("Acquisition of {} landed despite: {}", key, ambiguous.getMessage());
      return after.version();
    }
    throw ambiguous;
  }

  private LockOwner owner() {
    LockOwner self = LockOwner.forThisProcess(UUID.randomUUID().toString());
    return instanceName == null
        ? self
        : new LockOwner(self.id(), self.host(), self.pid(), instanceName);
  }

  /** The TTL field: the lease end plus the retention, from a server time. */
  Timestamp expireAt(Timestamp serverTime, Duration lease) {
    return Timestamps.timestamp(Timestamps.instant(serverTime).plus(lease).plus(retention));
  }

  Clock clock() {
    return clock;
  }

  /** Sends one write through the {@link WriteSender}; every lock and handle write goes here. */
  ApiFuture<WriteResult> send(Supplier<ApiFuture<WriteResult>> write) {
    return writes.send(write);
  }

  Duration rpcTimeout() {
    return rpcTimeout;
  }

  /**
   * The deadline of a renewal call when background renewal is on: the shorter of {@code rpcTimeout}
   * and a third of the lease. Renewals run every third of the lease, so a renewal that is slow but
   * answers within its deadline still lands while the lease it extends is live; with the plain
   * {@code rpcTimeout} (10 s by default) one slow call could outlast a 3 s lease.
   */
  static Duration renewalDeadline(Duration rpcTimeout, Duration lease) {
    Duration third = lease.dividedBy(3);
    return third.compareTo(rpcTimeout) < 0 ? third : rpcTimeout;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query on the collection ({@code held == true}), judged at the query's server read time.
   * Documents in the collection that this library did not write are skipped.
   */
  @Override
  public List<LockInfo> listHeld() {
    return listMarkedHeld(true, "listing");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The same single query as {@link #listHeld()}, keeping the documents whose lease had run out
   * at the query's server read time. A document stays until the next acquisition of its key or
   * until the TTL policy deletes it ({@link Builder#retention(Duration)} after the lease end).
   */
  @Override
  public List<LockInfo> listAbandoned() {
    return listMarkedHeld(false, "listing abandoned locks");
  }

  /**
   * The lock documents marked held whose lease is live ({@code live}) or has run out, judged by the
   * query's read time like every other lease judgement.
   */
  private List<LockInfo> listMarkedHeld(boolean live, String what) {
    LockKey any = LockKey.of("admin", "listHeld");
    QuerySnapshot result =
        Rpc.read(collection.whereEqualTo(LockDocument.HELD, true).get(), rpcTimeout, any, what);
    List<LockInfo> listed = new ArrayList<>();
    for (QueryDocumentSnapshot snapshot : result.getDocuments()) {
      LockDocument doc = new LockDocument(snapshot);
      try {
        LockKey key = doc.lockKey();
        if (key != null && doc.leaseLive() == live) {
          listed.add(new LockInfo(key, doc.owner(), doc.acquiredAt(), doc.expiry(), doc.token()));
        }
      } catch (RuntimeException malformed) {
        log.warn("Skipping lock document {}: {}", snapshot.getId(), malformed.getMessage());
      }
    }
    listed.sort(
        Comparator.comparing((LockInfo i) -> i.key().type()).thenComparing(i -> i.key().key()));
    return listed;
  }

  @Override
  public boolean forceRelease(LockKey key, String reason) {
    requireNonNull(key, "key");
    requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank, but was '" + reason + "'");
    }
    DocumentReference doc = document(key);
    for (int i = 0; i < MAX_CONFLICTS_PER_ATTEMPT; i++) {
      LockDocument current =
          new LockDocument(Rpc.read(doc.get(), rpcTimeout, key, "read for force-release"));
      if (!current.exists() || !(current.heldFlag() || current.live())) {
        return false; // free: neither held nor in the minimum hold after an early release
      }
      boolean live = current.live();
      try {
        Rpc.await(
            doc.update(
                LockDocument.release("force-released: " + reason),
                Precondition.updatedAt(current.version())),
            rpcTimeout,
            key,
            "force-release");
      } catch (Rpc.Conflict changed) {
        continue;
      }
      log.warn(
          "Force-released lock {} (token {}, owner {}): {}",
          key,
          current.token(),
          current.owner(),
          reason);
      return live;
    }
    throw new LockUnavailableException(
        key,
        "force-release lost " + MAX_CONFLICTS_PER_ATTEMPT + " write races in a row; try again",
        null);
  }

  private DocumentReference document(LockKey key) {
    String id = documentIds.apply(key);
    validateDocumentId(id, key);
    return collection.document(id);
  }

  private static void validateDocumentId(String id, LockKey key) {
    if (!DocumentIds.isValid(id)) {
      throw new IllegalArgumentException(
          "document id for lock " + key + " is not a valid Firestore document id: '" + id + "'");
    }
  }

  @Override
  public String toString() {
    return "FirestoreDistributedLock{" + collection.getPath() + "}";
  }

  /**
   * Sends a write. The production sender calls the supplier once; tests replay a write the way the
   * client's automatic commit retry does, to pin what happens when a retry meets the first
   * attempt's own result.
   */
  @FunctionalInterface
  interface WriteSender {
    ApiFuture<WriteResult> send(Supplier<ApiFuture<WriteResult>> write);
  }

  /** The outcome of one attempt. */
  private static final class Attempt {

    final FirestoreLockHandle handle;
    final LockDocument observed;
    final boolean conflict;

    private Attempt(FirestoreLockHandle handle, LockDocument observed, boolean conflict) {
      this.handle = handle;
      this.observed = observed;
      this.conflict = conflict;
    }

    static Attempt acquired(FirestoreLockHandle handle) {
      return new Attempt(handle, null, false);
    }

    static Attempt held(LockDocument observed) {
      return new Attempt(null, observed, false);
    }

    /** Lost a write race; {@code after} is the document as re-read after the loss. */
    static Attempt conflict(LockDocument after) {
      return new Attempt(null, after, true);
    }
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
    private String instanceName;
    private WriteSender writes = Supplier::get;

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
      requireNonNull(retention, "retention");
      if (retention.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException("retention must be at least PT1H, but was " + retention);
      }
      this.retention = retention;
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

    /** Replaces how writes are sent; for tests in this package only. */
    Builder writeSender(WriteSender writes) {
      this.writes = requireNonNull(writes, "writes");
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
