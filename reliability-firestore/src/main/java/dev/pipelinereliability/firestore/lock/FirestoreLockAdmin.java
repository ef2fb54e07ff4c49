package dev.pipelinereliability.firestore.lock;

import static java.util.Objects.requireNonNull;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import dev.pipelinereliability.firestore.internal.FirestoreCalls.ConflictException;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LockAdmin} half of {@link FirestoreDistributedLock}: listings are one query on the
 * collection ({@code held == true}) judged at the query's server read time; a force-release is a
 * write conditional on the version read. Thread-safe.
 */
final class FirestoreLockAdmin implements LockAdmin {
  // Under the lock's name, so logging set up for the lock keeps covering what moved here.
  private static final Logger log = LoggerFactory.getLogger(FirestoreDistributedLock.class);

  private final LockStore store;

  FirestoreLockAdmin(LockStore store) {
    this.store = store;
  }

  @Override
  public List<LockInfo> listHeld() {
    return listMarkedHeld(true, "listing");
  }

  @Override
  public List<LockInfo> listAbandoned() {
    return listMarkedHeld(false, "listing abandoned locks");
  }

  /**
   * The lock documents marked held whose lease is live ({@code live}) or has run out, judged by the
   * query's read time like every other lease judgement. Documents this library did not write are
   * skipped.
   */
  private List<LockInfo> listMarkedHeld(boolean live, String what) {
    LockKey any = LockKey.of("admin", "listHeld");
    QuerySnapshot result =
        store
            .calls()
            .await(store.collection().whereEqualTo(LockDocument.HELD, true).get(), any, what);
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
    DocumentReference doc = store.document(key);
    for (int i = 0; i < Acquirer.MAX_CONFLICTS_PER_ATTEMPT; i++) {
      LockDocument current =
          new LockDocument(store.calls().await(doc.get(), key, "read for force-release"));
      if (!current.exists() || !(current.heldFlag() || current.live())) {
        return false; // free: neither held nor in the minimum hold after an early release
      }
      boolean live = current.live();
      try {
        store
            .calls()
            .write(
                doc.update(
                    LockDocument.release("force-released: " + reason),
                    Precondition.updatedAt(current.version())),
                key,
                "force-release");
      } catch (ConflictException changed) {
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
        "force-release lost "
            + Acquirer.MAX_CONFLICTS_PER_ATTEMPT
            + " write races in a row; try again",
        null);
  }
}
