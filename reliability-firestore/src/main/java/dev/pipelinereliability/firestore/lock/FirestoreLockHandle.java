package dev.pipelinereliability.firestore.lock;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Precondition;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.ConflictException;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on a lock document. It remembers the version (update time) of its last write: renewal
 * and release are conditional on it, so they never touch a document someone else wrote since.
 *
 * <p>Thread-safe: writes are serialized on this object, so a background renewal and a close never
 * race each other's preconditions.
 */
final class FirestoreLockHandle extends AbstractLockHandle {
  private static final Logger log = LoggerFactory.getLogger(FirestoreLockHandle.class);

  private final LockStore store;
  private final DocumentReference doc;
  private final Timestamp acquiredVersion;
  private Timestamp version; // guarded by this
  private volatile long localExpiryMillis;

  /**
   * @param version the update time of the acquisition write
   * @param sentAtMillis the lock's clock just before that write was sent; the lease cannot have
   *     started on the server earlier, so sent + lease is a conservative local expiry
   */
  FirestoreLockHandle(
      LockStore store,
      DocumentReference doc,
      LockKey key,
      String ownerId,
      long token,
      Timestamp version,
      long sentAtMillis,
      LockOptions options) {
    super(
        key,
        ownerId,
        token,
        Timestamps.instant(version).plus(options.leaseDuration()),
        options,
        store.metrics());
    this.store = store;
    this.doc = doc;
    this.acquiredVersion = version;
    this.version = version;
    this.localExpiryMillis = sentAtMillis + options.leaseDuration().toMillis();
  }

  void startRenewal(ScheduledExecutorService executor) {
    startBackgroundRenewal(executor);
  }

  /** No call: the local estimate ends no later than the server's lease (see the constructor). */
  @Override
  protected boolean leaseLooksLive() {
    return store.clock().millis() < localExpiryMillis;
  }

  @Override
  protected Duration timeLeftLocally() {
    return Duration.ofMillis(localExpiryMillis - store.clock().millis());
  }

  @Override
  protected void confirmHeld() {
    LockDocument current =
        new LockDocument(store.calls().await(doc.get(), key(), "validity check"));
    LockLostException lost = lossSeenIn(current);
    if (lost != null) {
      throw lost;
    }
  }

  @Override
  protected synchronized Instant renewInStore(Duration lease) {
    if (!leaseLooksLive()) {
      throw new LockLostException(
          key(), LockLossCause.EXPIRED, "the lease ran out at " + leaseExpiry());
    }
    // The shorter of the old and new lease: the call must land while the old lease is live, and a
    // shorter new lease is the one the next background renewal runs against.
    Duration shorter = lease.compareTo(leaseDuration()) < 0 ? lease : leaseDuration();
    Duration deadline =
        options().backgroundRenewal()
            ? LockStore.renewalDeadline(store.rpcTimeout(), shorter)
            : store.rpcTimeout();
    long sentAt = store.clock().millis();
    Timestamp before = version;
    Timestamp renewed;
    try {
      renewed =
          updateIfAt(
              before,
              LockDocument.renewal(lease, store.expireAt(before, lease)),
              deadline,
              "renewal");
    } catch (ConflictException changed) {
      renewed = ownWriteAfterConflict(changed, before, deadline, "renewal", lease);
    }
    version = renewed;
    localExpiryMillis = sentAt + lease.toMillis();
    return Timestamps.instant(version).plus(lease);
  }

  @Override
  protected synchronized void releaseInStore() {
    Timestamp before = version;
    try {
      release(before, store.rpcTimeout());
    } catch (ConflictException changed) {
      // Someone wrote since our last write, and then the lock is theirs: write nothing. Or the
      // client retried our own release after it had landed.
      ownWriteAfterConflict(changed, before, store.rpcTimeout(), "release", null);
    } catch (LockUnavailableException ambiguous) {
      retryReleaseAfterAmbiguousFailure(ambiguous);
    }
  }

  /**
   * The release write, conditional on {@code expected}. With {@link LockOptions#holdAtLeast()} the
   * key stays taken until that long after the acquisition write, in server time.
   */
  private void release(Timestamp expected, Duration deadline) throws ConflictException {
    Duration hold = options().holdAtLeast();
    @Nullable Timestamp keptUntil =
        hold.isZero() ? null : Timestamps.timestamp(Timestamps.instant(acquiredVersion).plus(hold));
    updateIfAt(
        expected,
        LockDocument.release(LockDocument.RELEASED_BY_HOLDER, keptUntil),
        deadline,
        "release");
  }

  /** Writes {@code fields} only if the document's version is still {@code expected}. */
  private Timestamp updateIfAt(
      Timestamp expected, Map<String, Object> fields, Duration deadline, String what)
      throws ConflictException {
    return store
        .calls()
        .withTimeout(deadline)
        .write(store.send(() -> doc.update(fields, Precondition.updatedAt(expected))), key(), what)
        .getUpdateTime();
  }

  /** Attempts of {@link #retryReleaseAfterAmbiguousFailure}, so a frozen clock cannot loop. */
  private static final int MAX_RELEASE_CONFIRMATIONS = 6;

  private static final long FIRST_RELEASE_BACKOFF_MILLIS = 50;

  /**
   * A release that failed without a clear answer (the emulator answers UNKNOWN now and then; a
   * production commit may land and still time out) may or may not have landed. Until one more
   * {@code rpcTimeout} has passed: re-read the document; done if it shows our release; release
   * again, conditional on the version read, if it still shows this acquisition holding the lock;
   * stop if it shows someone else's. Without this a finished run would leave its key blocked until
   * the lease runs out. If every attempt fails, the original failure stands, with the others as
   * suppressed exceptions, and the lease runs out on its own.
   *
   * @throws LockLostException if the document shows that another acquisition holds the lock
   */
  private void retryReleaseAfterAmbiguousFailure(LockUnavailableException ambiguous) {
    long deadline = store.clock().millis() + store.rpcTimeout().toMillis();
    long backoff = FIRST_RELEASE_BACKOFF_MILLIS;
    for (int attempt = 0; attempt < MAX_RELEASE_CONFIRMATIONS; attempt++) {
      long left = deadline - store.clock().millis();
      if (left <= 0) {
        break;
      }
      try {
        LockDocument after =
            new LockDocument(
                store
                    .calls()
                    .withTimeout(Duration.ofMillis(left))
                    .await(doc.get(), key(), "read after an unclear release"));
        boolean ours =
            after.exists() && ownerId().equals(after.ownerId()) && after.token() == fencingToken();
        if (ours && !after.heldFlag()) {
          log.info(
              "Release of lock {} (token {}) confirmed by a re-read after: {}",
              key(),
              fencingToken(),
              ambiguous.getMessage());
          return;
        }
        if (!ours) {
          LockLostException lost = lossSeenIn(after);
          if (lost != null) {
            throw lost;
          }
        }
        release(after.version(), Duration.ofMillis(Math.max(1, deadline - store.clock().millis())));
        log.info(
            "Released lock {} (token {}) on a retry after: {}",
            key(),
            fencingToken(),
            ambiguous.getMessage());
        return;
      } catch (ConflictException changed) {
        // Written since the read: the next read tells whose write it was.
        ambiguous.addSuppressed(changed);
      } catch (LockUnavailableException again) {
        ambiguous.addSuppressed(again);
      }
      if (!pause(Math.min(backoff, deadline - store.clock().millis()))) {
        break;
      }
      backoff *= 2;
    }
    throw ambiguous;
  }

  /** Waits {@code millis} on the lock's sleeper; false if interrupted (the flag is set again). */
  private boolean pause(long millis) {
    if (millis <= 0) {
      return true;
    }
    try {
      store.sleeper().sleep(Duration.ofMillis(millis));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Re-reads the document after a conflicting write and returns its version if the write was ours
   * after all: the client retries a commit whose response was lost (UNAVAILABLE), and the retry
   * then fails its precondition against the first attempt's result. The write is ours when the
   * document still carries this acquisition's owner id and token, is newer than {@code before}, and
   * shows what we wrote: a held lease of our duration (renewal) or our own release.
   *
   * @throws LockLostException if the document shows someone else's write (or cannot be read)
   * @param renewal the lease a renewal wrote, or null for a release
   * @throws LockUnavailableException if the document is still exactly as we last wrote it: the
   *     write was aborted and not applied, which says nothing about the lock; try again
   */
  private Timestamp ownWriteAfterConflict(
      ConflictException changed,
      Timestamp before,
      Duration deadline,
      String what,
      @Nullable Duration renewal) {
    LockDocument after;
    try {
      after =
          new LockDocument(
              store.calls().withTimeout(deadline).await(doc.get(), key(), "read after a " + what));
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
    if (ours && renewal != null && after.leaseLive() && after.lease().equals(renewal)) {
      return after.version();
    }
    if (ours && renewal == null && after.releasedByHolder()) {
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
  private @Nullable LockLostException lossSeenIn(LockDocument current) {
    if (!current.exists()) {
      return new LockLostException(key(), "the lock document was deleted");
    }
    if (!ownerId().equals(current.ownerId()) || current.token() != fencingToken()) {
      return new LockLostException(
          key(),
          LockLossCause.TAKEN_OVER,
          "taken over by owner "
              + current.ownerId()
              + " with token "
              + current.token()
              + " after the lease ran out");
    }
    if (!current.heldFlag()) {
      return new LockLostException(
          key(),
          current.releasedByHolder() ? LockLossCause.UNKNOWN : LockLossCause.FORCE_RELEASED,
          current.releaseReason());
    }
    if (!current.leaseLive()) {
      return new LockLostException(
          key(), LockLossCause.EXPIRED, "the lease ran out at " + current.expiry());
    }
    return null;
  }
}
