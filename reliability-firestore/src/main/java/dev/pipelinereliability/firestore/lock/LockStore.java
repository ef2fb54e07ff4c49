package dev.pipelinereliability.firestore.lock;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.firestore.internal.DocumentIds;
import dev.pipelinereliability.firestore.internal.FirestoreCalls;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.CallFailure;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.Failure;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOwner;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.telemetry.LockMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The lock collection and the settings the lock, its admin, its waiter and its handles share.
 * Immutable and thread-safe.
 */
final class LockStore {
  /**
   * Status codes of a write that may have lost its race: {@code create()} found the document, an
   * {@code updatedAt} precondition found a newer version, or the server aborted the write under
   * contention. The caller re-reads the document to learn what happened, because the write may also
   * be its own, applied by an earlier attempt that the client retried.
   */
  private static final Set<String> CONFLICTS =
      Set.of("ALREADY_EXISTS", "FAILED_PRECONDITION", "ABORTED");

  private final CollectionReference collection;
  private final Function<LockKey, String> documentIds;
  private final Clock clock;
  private final Duration rpcTimeout;
  private final Duration retention;
  private final ScheduledExecutorService renewals;
  private final @Nullable String instanceName;
  private final WriteSender writes;
  private final Sleeper sleeper;
  private final FirestoreCalls<LockKey> calls;
  private final LockMetrics metrics;

  LockStore(
      CollectionReference collection,
      Function<LockKey, String> documentIds,
      Clock clock,
      Duration rpcTimeout,
      Duration retention,
      ScheduledExecutorService renewals,
      @Nullable String instanceName,
      WriteSender writes,
      Sleeper sleeper,
      LockMetrics metrics) {
    this.collection = collection;
    this.documentIds = documentIds;
    this.clock = clock;
    this.rpcTimeout = rpcTimeout;
    this.retention = retention;
    this.renewals = renewals;
    this.instanceName = instanceName;
    this.writes = writes;
    this.sleeper = sleeper;
    this.metrics = metrics;
    this.calls = new FirestoreCalls<>(rpcTimeout, CONFLICTS, LockStore::failure);
  }

  /**
   * A failed call means the store cannot be trusted now: nothing is acquired, renewed or released.
   * An interrupt is not the store's fault and says so.
   */
  private static RuntimeException failure(LockKey key, String what, CallFailure failure) {
    if (failure.failure() == Failure.INTERRUPTED) {
      return new ReliabilityException(
          "interrupted during " + what + " of lock " + key, failure.cause());
    }
    return new LockUnavailableException(key, what + " " + failure.message(), failure.cause());
  }

  /**
   * The lock's Firestore calls, each with the {@code rpcTimeout} deadline: a conflicting write is a
   * {@link FirestoreCalls.ConflictException}, any other failure a {@link LockUnavailableException}
   * (a {@link ReliabilityException} if the thread was interrupted).
   */
  FirestoreCalls<LockKey> calls() {
    return calls;
  }

  /**
   * The document of {@code key}.
   *
   * @throws IllegalArgumentException if the configured id function gives an id Firestore rejects
   */
  DocumentReference document(LockKey key) {
    String id = documentIds.apply(key);
    if (!DocumentIds.isValid(id)) {
      throw new IllegalArgumentException(
          "document id for lock " + key + " is not a valid Firestore document id: '" + id + "'");
    }
    return collection.document(id);
  }

  CollectionReference collection() {
    return collection;
  }

  /** Measures local durations only; leases are judged by server time. */
  Clock clock() {
    return clock;
  }

  Duration rpcTimeout() {
    return rpcTimeout;
  }

  /** Waits between the attempts of a handle's release confirmation. */
  Sleeper sleeper() {
    return sleeper;
  }

  /** The lock's recorder: acquire waits, and the handles' holds and losses. */
  LockMetrics metrics() {
    return metrics;
  }

  ScheduledExecutorService renewals() {
    return renewals;
  }

  /** The TTL field: the lease end plus the retention, from a server time. */
  Timestamp expireAt(Timestamp serverTime, Duration lease) {
    return Timestamps.timestamp(Timestamps.instant(serverTime).plus(lease).plus(retention));
  }

  /** A new owner: a random id per acquisition, with host, pid and instance for humans. */
  LockOwner newOwner() {
    LockOwner self = LockOwner.forThisProcess(UUID.randomUUID().toString());
    return instanceName == null
        ? self
        : new LockOwner(self.id(), self.host(), self.pid(), instanceName);
  }

  /** Sends one write through the {@link WriteSender}; every lock and handle write goes here. */
  ApiFuture<WriteResult> send(Supplier<ApiFuture<WriteResult>> write) {
    return writes.send(write);
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
   * Sends a write. The production sender calls the supplier once; tests replay a write the way the
   * client's automatic commit retry does, to pin what happens when a retry meets the first
   * attempt's own result.
   */
  @FunctionalInterface
  interface WriteSender {
    ApiFuture<WriteResult> send(Supplier<ApiFuture<WriteResult>> write);
  }
}
