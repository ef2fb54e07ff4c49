package dev.pipelinereliability.completion.spi;

import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import java.util.Optional;

/**
 * Where a {@link StoreBackedCompletionTracker} keeps one document per key: the two operations a
 * backend implements, in the spirit of ShedLock's {@code StorageAccessor}. Every decision (what an
 * outcome is, when a trigger is due, what to retry) is the tracker's; a store only reads and writes
 * if unchanged.
 *
 * <p>Implementations must be thread-safe; several trackers (one per orchestrator instance) may use
 * stores over the same data concurrently.
 */
public interface CompletionStore {
  /**
   * Reads the key's stored state and its version. One call to the store.
   *
   * @param key the phase and date
   * @param phase the phase's configuration; the state's expected set comes from it
   * @return the state, with an empty version when no document exists
   * @throws CompletionStoreException if the store failed
   */
  StoredState read(CompletionKey key, PhaseConfig phase);

  /**
   * Applies {@code change} atomically if the stored document still has {@code expected}'s version,
   * or, if {@code expected} has none, creates the document if none exists yet. One call to the
   * store. The document must then read back as {@code change.applyTo(expected.state())}.
   *
   * @param key the phase and date
   * @param expected the state as read (or as this store's last write produced it)
   * @param change what to write
   * @return the version of the document this write produced; empty if the document changed since
   *     {@code expected} (or the store refused the write for contention, Firestore's ABORTED), so
   *     nothing was applied and the tracker re-reads after a backoff
   * @throws CompletionStoreException if the store failed
   */
  Optional<Object> writeIfUnchanged(CompletionKey key, StoredState expected, StateChange change);
}
