package dev.pipelinereliability.firestore.completion;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.WriteResult;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionStoreException;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.spi.CompletionStore;
import dev.pipelinereliability.completion.spi.StateChange;
import dev.pipelinereliability.completion.spi.StoredState;
import dev.pipelinereliability.firestore.internal.FirestoreCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The two store operations on Firestore: a document read, and a write with the document's update
 * time as {@link Precondition#updatedAt(Timestamp)} ({@code create()} when no document exists). The
 * version is the document's update time; a write returns the one it produced, so the tracker can
 * write again (the trigger confirmation) without reading first. Thread-safe.
 */
final class FirestoreCompletionStore implements CompletionStore {
  /**
   * Codes that mean "the document changed under us": a failed {@code updatedAt} precondition, a
   * {@code create()} that found the document, an update of a document deleted meanwhile, and
   * ABORTED, Firestore's answer to contention. All of them mean "not applied".
   */
  private static final Set<String> CONFLICTS =
      Set.of("FAILED_PRECONDITION", "ALREADY_EXISTS", "NOT_FOUND", "ABORTED");

  private final Firestore firestore;
  private final UnaryOperator<String> collectionOf;
  private final FirestoreCalls<CompletionKey> calls;

  FirestoreCompletionStore(
      Firestore firestore, UnaryOperator<String> collectionOf, Duration rpcTimeout) {
    this.firestore = firestore;
    this.collectionOf = collectionOf;
    this.calls =
        new FirestoreCalls<>(
            rpcTimeout,
            CONFLICTS,
            (key, what, failure) ->
                new CompletionStoreException(key, what + " " + failure.message(), failure.cause()));
  }

  DocumentReference document(CompletionKey key) {
    return firestore.collection(collectionOf.apply(key.phase())).document(key.date().toString());
  }

  @Override
  public StoredState read(CompletionKey key, PhaseConfig phase) {
    DocumentSnapshot doc = calls.await(document(key).get(), key, "read");
    return new StoredState(
        LegacyOrchestratorLayout.read(key, phase, doc),
        doc.exists() ? Optional.of(doc.getUpdateTime()) : Optional.empty());
  }

  @Override
  public Optional<Object> writeIfUnchanged(
      CompletionKey key, StoredState expected, StateChange change) {
    DocumentReference doc = document(key);
    ApiFuture<WriteResult> call;
    if (expected.version().isEmpty()) {
      call = doc.create(LegacyOrchestratorLayout.fields(change, true));
    } else {
      List<Object> pairs = new ArrayList<>();
      LegacyOrchestratorLayout.fields(change, false)
          .forEach(
              (name, value) -> {
                pairs.add(FieldPath.of(name));
                pairs.add(value);
              });
      call =
          doc.update(
              Precondition.updatedAt((Timestamp) expected.version().get()),
              (FieldPath) pairs.get(0),
              pairs.get(1),
              pairs.subList(2, pairs.size()).toArray());
    }
    return calls
        .writeUnlessConflict(
            call, key, expected.version().isEmpty() ? "create" : "conditional update")
        .<Object>map(WriteResult::getUpdateTime);
  }
}
