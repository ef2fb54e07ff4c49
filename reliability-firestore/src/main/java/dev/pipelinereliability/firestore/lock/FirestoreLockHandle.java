package dev.pipelinereliability.firestore.lock;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Precondition;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A handle on a lock document. It remembers the version (update time) of its last write: renewal
 * and release are conditional on it, so they never touch a document someone else wrote since.
 *
 * <p>Thread-safe: writes are serialized on this object, so a background renewal and a close never
 * race each other's preconditions.
 */
final class FirestoreLockHandle extends AbstractLockHandle {
  private final FirestoreDistributedLock lock;
  private final DocumentReference doc;
  private Timestamp version; // guarded by this
  private volatile long localExpiryMillis;

  /**
   * @param version the update time of the acquisition write
   * @param sentAtMillis the lock's clock just before that write was sent; the lease cannot have
   *     started on the server earlier, so sent + lease is a conservative local expiry
   */
  FirestoreLockHandle(
      FirestoreDistributedLock lock,
      DocumentReference doc,
      LockKey key,
      String ownerId,
      long token,
      Timestamp version,
      long sentAtMillis,
      LockOptions options) {
    super(key, ownerId, token, Timestamps.instant(version).plus(options.leaseDuration()), options);
    this.lock = lock;
    this.doc = doc;
    this.version = version;
    this.localExpiryMillis = sentAtMillis + options.leaseDuration().toMillis();
  }

  void startRenewal(ScheduledExecutorService executor) {
    startBackgroundRenewal(executor);
  }

  /** No call: the local estimate ends no later than the server's lease (see the constructor). */
  @Override
  protected boolean leaseLooksLive() {
    return lock.clock().millis() < localExpiryMillis;
  }

  @Override
  protected Duration timeLeftLocally() {
    return Duration.ofMillis(localExpiryMillis - lock.clock().millis());
  }

  @Override
  protected void confirmHeld() {
    LockDocument current =
        new LockDocument(Rpc.read(doc.get(), lock.rpcTimeout(), key(), "validity check"));
    LockLostException lost = lossSeenIn(current);
    if (lost != null) {
      throw lost;
    }
  }

  @Override
  protected synchronized Instant renewInStore() {
    if (!leaseLooksLive()) {
      throw new LockLostException(key(), "the lease ran out at " + leaseExpiry());
    }
    Duration deadline =
        options().backgroundRenewal()
            ? FirestoreDistributedLock.renewalDeadline(lock.rpcTimeout(), leaseDuration())
            : lock.rpcTimeout();
    long sentAt = lock.clock().millis();
    Timestamp before = version;
    Timestamp renewed;
    try {
      renewed =
          Rpc.await(
                  lock.send(
                      () ->
                          doc.update(
                              LockDocument.renewal(
                                  leaseDuration(), lock.expireAt(before, leaseDuration())),
                              Precondition.updatedAt(before))),
                  deadline,
                  key(),
                  "renewal")
              .getUpdateTime();
    } catch (Rpc.Conflict changed) {
      renewed = ownWriteAfterConflict(changed, before, deadline, "renewal", true);
    }
    version = renewed;
    localExpiryMillis = sentAt + leaseDuration().toMillis();
    return Timestamps.instant(version).plus(leaseDuration());
  }

  @Override
  protected synchronized void releaseInStore() {
    Timestamp before = version;
    try {
      release(before);
    } catch (Rpc.Conflict changed) {
      // Someone wrote since our last write, and then the lock is theirs: write nothing. Or the
      // client retried our own release after it had landed.
      ownWriteAfterConflict(changed, before, lock.rpcTimeout(), "release", false);
    } catch (LockUnavailableException ambiguous) {
      retryReleaseAfterAmbiguousFailure(ambiguous);
    }
  }

  private void release(Timestamp expected) throws Rpc.Conflict {
    Rpc.await(
        lock.send(
            () ->
                doc.update(
                    LockDocument.release(LockDocument.RELEASED_BY_HOLDER),
                    Precondition.updatedAt(expected))),
        lock.rpcTimeout(),
        key(),
        "release");
  }

  /**
   * A release that failed without a clear answer may have landed. Reads once: done if it did; one
   * more conditional release if the document still shows this acquisition holding it; otherwise the
   * original failure stands (and the lease runs out on its own).
   */
  private void retryReleaseAfterAmbiguousFailure(LockUnavailableException ambiguous) {
    LockDocument after;
    try {
      after =
          new LockDocument(
              Rpc.read(doc.get(), lock.rpcTimeout(), key(), "read after failed release"));
    } catch (LockUnavailableException unreadable) {
      ambiguous.addSuppressed(unreadable);
      throw ambiguous;
    }
    boolean ours =
        after.exists() && ownerId().equals(after.ownerId()) && after.token() == fencingToken();
    if (ours && !after.heldFlag()) {
      return;
    }
    if (ours) {
      try {
        release(after.version());
        return;
      } catch (Rpc.Conflict | LockUnavailableException again) {
        ambiguous.addSuppressed(again);
      }
    }
    throw ambiguous;
  }

  /**
   * Re-reads the document after a conflicting write and returns its version if the write was ours
   * after all: the client retries a commit whose response was lost (UNAVAILABLE), and the retry
   * then fails its precondition against the first attempt's result. The write is ours when the
   * document still carries this acquisition's owner id and token, is newer than {@code before}, and
   * shows what we wrote: a held lease of our duration (renewal) or our own release.
   *
   * @throws LockLostException if the document shows someone else's write (or cannot be read)
   * @throws LockUnavailableException if the document is still exactly as we last wrote it: the
   *     write was aborted and not applied, which says nothing about the lock; try again
   */
  private Timestamp ownWriteAfterConflict(
      Rpc.Conflict changed, Timestamp before, Duration deadline, String what, boolean renewal) {
    LockDocument after;
    try {
      after = new LockDocument(Rpc.read(doc.get(), deadline, key(), "read after a " + what));
    } catch (LockUnavailableException unreadable) {
      // Cannot tell: say lost, the safe answer (the handle stops being used).
      throw new LockLostException(
          key(), "the lock document was changed by someone else", changed.getCause());
    }
    boolean ours =
        after.exists()
            && ownerId().equals(after.ownerId())
            && after.token() == fencingToken()
            && after.version().compareTo(before) > 0;
    if (ours && renewal && after.live() && after.lease().equals(leaseDuration())) {
      return after.version();
    }
    if (ours
        && !renewal
        && !after.heldFlag()
        && LockDocument.RELEASED_BY_HOLDER.equals(after.releaseReason())) {
      return after.version();
    }
    LockLostException lost = lossSeenIn(after);
    if (lost != null) {
      throw lost;
    }
    if (after.version().equals(before)) {
      throw new LockUnavailableException(
          key(),
          what + " was not applied (" + changed.getMessage() + "); try again",
          changed.getCause());
    }
    throw new LockLostException(
        key(), "the lock document was changed by someone else", changed.getCause());
  }

  /** Returns why {@code current} shows this acquisition no longer holding the lock, or null. */
  private LockLostException lossSeenIn(LockDocument current) {
    if (!current.exists()) {
      return new LockLostException(key(), "the lock document was deleted");
    }
    if (!ownerId().equals(current.ownerId()) || current.token() != fencingToken()) {
      return new LockLostException(
          key(),
          "taken over by owner "
              + current.ownerId()
              + " with token "
              + current.token()
              + " after the lease ran out");
    }
    if (!current.heldFlag()) {
      return new LockLostException(key(), current.releaseReason());
    }
    if (!current.live()) {
      return new LockLostException(key(), "the lease ran out at " + current.expiry());
    }
    return null;
  }
}
