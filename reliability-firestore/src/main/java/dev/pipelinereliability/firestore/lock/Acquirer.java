package dev.pipelinereliability.firestore.lock;

import static java.util.Objects.requireNonNull;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Precondition;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.ConflictException;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockOwner;
import dev.pipelinereliability.lock.LockUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One acquisition attempt: read the document, claim it with one conditional write if it is free,
 * and recover a write whose outcome was unclear by re-reading for this attempt's own owner id and
 * token. Stateless apart from its store; thread-safe.
 */
final class Acquirer {
  /** Write races lost in a row before a single attempt gives up and reports the lock held. */
  static final int MAX_CONFLICTS_PER_ATTEMPT = 5;

  // Under the lock's name, so logging set up for the lock keeps covering what moved here.
  private static final Logger log = LoggerFactory.getLogger(FirestoreDistributedLock.class);

  private final LockStore store;

  Acquirer(LockStore store) {
    this.store = store;
  }

  /**
   * One acquisition attempt: read, and claim if free; go on from the re-read after a lost race.
   *
   * @throws LockUnavailableException if the store fails or does not answer in time
   */
  Attempt attempt(DocumentReference doc, LockKey key, LockOptions options) {
    LockDocument current = new LockDocument(store.calls().await(doc.get(), key, "read"));
    Attempt attempt = claimFrom(doc, key, options, current);
    for (int i = 1; i < MAX_CONFLICTS_PER_ATTEMPT && attempt.conflict; i++) {
      // A conflict always carries the document as re-read after it.
      attempt = claimFrom(doc, key, options, requireNonNull(attempt.observed, "observed"));
    }
    return attempt;
  }

  /**
   * Claims the lock if {@code seen} shows it free: one write, conditional on the version seen.
   * Returns the handle, or what was seen (held), or a conflict (someone wrote since).
   *
   * @throws LockUnavailableException if the store fails or does not answer in time
   */
  Attempt claimFrom(DocumentReference doc, LockKey key, LockOptions options, LockDocument seen) {
    if (seen.live()) {
      return Attempt.held(seen);
    }
    LockOwner owner = store.newOwner();
    long token;
    try {
      token = seen.exists() ? seen.token() + 1 : LockDocument.firstToken(seen.readTime());
    } catch (IllegalStateException corrupt) {
      throw new LockUnavailableException(key, String.valueOf(corrupt.getMessage()), corrupt);
    }
    Timestamp expireAt = store.expireAt(seen.readTime(), options.leaseDuration());
    var fields = LockDocument.acquisition(key, owner, token, options.leaseDuration(), expireAt);
    long sentAt = store.clock().millis();
    Timestamp version;
    try {
      version =
          store
              .calls()
              .write(
                  store.send(
                      seen.exists()
                          ? () -> doc.update(fields, Precondition.updatedAt(seen.version()))
                          : () -> doc.create(fields)),
                  key,
                  "acquisition")
              .getUpdateTime();
    } catch (ConflictException lostRace) {
      // Either someone else wrote first, or the client retried our write after its first attempt
      // had landed (commits are retried on UNAVAILABLE), and the retry met our own document. Only
      // the document can tell: our random owner id with our token means the write is ours.
      LockDocument after =
          new LockDocument(store.calls().await(doc.get(), key, "read after a write conflict"));
      if (!after.isLiveAcquisition(owner.id(), token)) {
        return Attempt.conflict(after);
      }
      log.debug("Acquisition of lock {} (token {}) landed before a retry of it", key, token);
      version = after.version();
    } catch (LockUnavailableException ambiguous) {
      version = landedAnyway(doc, key, owner.id(), token, ambiguous);
    }
    FirestoreLockHandle handle =
        new FirestoreLockHandle(store, doc, key, owner.id(), token, version, sentAt, options);
    if (options.backgroundRenewal()) {
      handle.startRenewal(store.renewals());
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
      after = new LockDocument(store.calls().await(doc.get(), key, "read after failed write"));
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

  /** The outcome of one attempt. */
  static final class Attempt {
    final @Nullable FirestoreLockHandle handle;
    final @Nullable LockDocument observed;
    final boolean conflict;

    private Attempt(
        @Nullable FirestoreLockHandle handle, @Nullable LockDocument observed, boolean conflict) {
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
}
