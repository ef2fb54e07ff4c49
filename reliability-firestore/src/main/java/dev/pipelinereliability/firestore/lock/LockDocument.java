package dev.pipelinereliability.firestore.lock;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The lock document's fields and the one place where a lease is judged: by the server's times only
 * (a snapshot's read time against the document's update time plus the stored lease).
 *
 * <p>An instance is one snapshot of one document, immutable.
 */
final class LockDocument {
  private static final String TYPE = "type";
  private static final String KEY = "key";
  static final String HELD = "held";
  private static final String OWNER = "owner";
  private static final String OWNER_HOST = "ownerHost";
  private static final String OWNER_PID = "ownerPid";
  private static final String OWNER_INSTANCE = "ownerInstance";
  private static final String TOKEN = "token";
  private static final String LEASE_MILLIS = "leaseMillis";
  private static final String ACQUIRED_AT = "acquiredAt";
  private static final String RENEWED_AT = "renewedAt";
  private static final String RELEASED_AT = "releasedAt";
  private static final String RELEASE_REASON = "releaseReason";
  private static final String EXPIRE_AT = "expireAt";
  private static final String KEPT_UNTIL = "keptUntil";

  /** Written as the release reason when the holder itself closes its handle. */
  static final String RELEASED_BY_HOLDER = "released by its holder";

  private final DocumentSnapshot snapshot;

  LockDocument(DocumentSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  boolean exists() {
    return snapshot.exists();
  }

  /** The server time at which this snapshot was read. */
  Timestamp readTime() {
    return snapshot.getReadTime();
  }

  /** The version to put in an {@code updatedAt} precondition; null if the document is absent. */
  Timestamp version() {
    return snapshot.getUpdateTime();
  }

  boolean heldFlag() {
    return Boolean.TRUE.equals(snapshot.getBoolean(HELD));
  }

  String ownerId() {
    String owner = snapshot.getString(OWNER);
    return owner == null ? "" : owner;
  }

  long token() {
    Long token = snapshot.getLong(TOKEN);
    if (token == null) {
      throw new IllegalStateException(
          "lock document " + snapshot.getReference().getPath() + " has no numeric 'token' field");
    }
    return token;
  }

  Duration lease() {
    Long millis = snapshot.getLong(LEASE_MILLIS);
    return Duration.ofMillis(millis == null ? 0 : millis);
  }

  String releaseReason() {
    String reason = snapshot.getString(RELEASE_REASON);
    return reason == null ? "released" : reason;
  }

  /** When the current lease runs out, in server time: last write plus the stored lease. */
  Instant expiry() {
    return Timestamps.instant(version()).plus(lease());
  }

  /**
   * Until when a holder that released before its {@code holdAtLeast} ran out keeps the key taken
   * (server time: its acquisition's write time plus the minimum hold), or null.
   */
  @Nullable Instant keptUntil() {
    Timestamp kept = snapshot.getTimestamp(KEPT_UNTIL);
    return kept == null ? null : Timestamps.instant(kept);
  }

  /** When the key is free again if nobody renews: the later of the live lease and the hold. */
  Instant takenUntil() {
    Instant kept = keptUntil();
    Instant lease = heldFlag() ? expiry() : Instant.MIN;
    return kept != null && kept.isAfter(lease) ? kept : lease;
  }

  /**
   * Whether an acquirer is refused: someone holds a live lease, or a holder released before its
   * minimum hold ran out. Judged by the server's read time; never a local clock.
   */
  boolean live() {
    return exists() && Timestamps.instant(readTime()).isBefore(takenUntil());
  }

  /** Whether someone holds a live lease (not merely a minimum hold after a release). */
  boolean leaseLive() {
    return exists() && heldFlag() && Timestamps.instant(readTime()).isBefore(expiry());
  }

  /** Whether the last write was its holder's own release. */
  boolean releasedByHolder() {
    return !heldFlag() && RELEASED_BY_HOLDER.equals(snapshot.getString(RELEASE_REASON));
  }

  /**
   * Whether this snapshot shows the live lease of the acquisition with {@code ownerId} and {@code
   * token}: the owner id is random per acquisition, so only that acquisition's writes carry it.
   */
  boolean isLiveAcquisition(String ownerId, long token) {
    return leaseLive() && ownerId.equals(ownerId()) && token() == token;
  }

  /** How long the key stays taken after the snapshot was read (server durations only). */
  Duration remaining() {
    return Duration.between(Timestamps.instant(readTime()), takenUntil());
  }

  /** The key as stored, or null for a document this library did not write. */
  @Nullable LockKey lockKey() {
    String type = snapshot.getString(TYPE);
    String key = snapshot.getString(KEY);
    return type == null || key == null ? null : LockKey.of(type, key);
  }

  LockOwner owner() {
    Long pid = snapshot.getLong(OWNER_PID);
    String host = snapshot.getString(OWNER_HOST);
    String instance = snapshot.getString(OWNER_INSTANCE);
    return new LockOwner(
        ownerId(),
        host == null ? "" : host,
        pid == null ? LockOwner.UNKNOWN_PID : pid,
        instance == null ? "" : instance);
  }

  /** When the current holder acquired the lock (server time), or its last write if unknown. */
  Instant acquiredAt() {
    Timestamp at = snapshot.getTimestamp(ACQUIRED_AT);
    return at == null ? Timestamps.instant(version()) : Timestamps.instant(at);
  }

  /**
   * The fields of an acquisition: everything about the previous holder is overwritten, the token is
   * the caller's.
   */
  static Map<String, Object> acquisition(
      LockKey key, LockOwner owner, long token, Duration lease, Timestamp expireAt) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(TYPE, key.type());
    fields.put(KEY, key.key());
    fields.put(HELD, true);
    fields.put(OWNER, owner.id());
    fields.put(OWNER_HOST, owner.host());
    fields.put(OWNER_PID, owner.pid());
    fields.put(OWNER_INSTANCE, owner.instance());
    fields.put(TOKEN, token);
    fields.put(LEASE_MILLIS, lease.toMillis());
    fields.put(ACQUIRED_AT, FieldValue.serverTimestamp());
    fields.put(RENEWED_AT, null);
    fields.put(RELEASED_AT, null);
    fields.put(RELEASE_REASON, null);
    fields.put(KEPT_UNTIL, null);
    fields.put(EXPIRE_AT, expireAt);
    return fields;
  }

  /**
   * The fields of a renewal. The server timestamp matters: a write that changes nothing keeps the
   * old update time, and the update time is what the lease is measured from.
   */
  static Map<String, Object> renewal(Duration lease, Timestamp expireAt) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(RENEWED_AT, FieldValue.serverTimestamp());
    fields.put(LEASE_MILLIS, lease.toMillis());
    fields.put(EXPIRE_AT, expireAt);
    return fields;
  }

  /** The fields of a release; the token and the key stay so the next token is larger. */
  static Map<String, Object> release(String reason) {
    return release(reason, null);
  }

  /**
   * The fields of a release that keeps the key taken until {@code keptUntil} (server time), or
   * frees it at once if null.
   */
  static Map<String, Object> release(String reason, @Nullable Timestamp keptUntil) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(HELD, false);
    fields.put(RELEASED_AT, FieldValue.serverTimestamp());
    fields.put(RELEASE_REASON, reason);
    fields.put(KEPT_UNTIL, keptUntil);
    return fields;
  }

  /** A fencing token for a document that does not exist (yet, or any more after TTL deletion). */
  static long firstToken(Timestamp readTime) {
    // Server time in microseconds: larger than any token of an earlier document of the same key
    // that TTL collected, because that one grew by one per acquisition, far slower than time.
    return readTime.getSeconds() * 1_000_000L + readTime.getNanos() / 1_000;
  }
}
