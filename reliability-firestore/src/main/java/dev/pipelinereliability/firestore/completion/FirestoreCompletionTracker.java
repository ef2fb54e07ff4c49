package dev.pipelinereliability.firestore.completion;

import static java.util.Objects.requireNonNull;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.SetOptions;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.RetryPolicy;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.completion.spi.AbstractCompletionTracker;
import dev.pipelinereliability.completion.spi.Pacing;
import dev.pipelinereliability.completion.spi.StateChange;
import dev.pipelinereliability.completion.spi.StoredState;
import dev.pipelinereliability.firestore.internal.RpcTimeouts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A {@link dev.pipelinereliability.completion.CompletionTracker} on Firestore: one document per
 * (phase, date), in the seed orchestrator's layout, so a team adopts it over its existing documents
 * without a migration.
 *
 * <p>Document: collection {@code <phase>_completion} (configurable), id the ISO date ({@code
 * 2026-02-03}). Processors are top-level fields holding their completion; {@code _completed_count}
 * is always written as the count derived from them; {@code _triggered}, {@code _trigger_reason} and
 * {@code _last_update} keep their seed meaning; the trigger's id, claim and confirmation times,
 * missing processors and the audit trail are added beside them.
 *
 * <p>No read-write transactions (they take pessimistic locks, retry 5 times and fail ABORTED on a
 * hot document; see DESIGN.md 2.1). Instead: a completion without a fencing token is an idempotent
 * merge write of its processor's field; every decision that must be made once (the trigger claim,
 * its confirmation, replacing a fenced completion, overrides) is a compare-and-set: an update with
 * {@link Precondition#updatedAt(Timestamp)} of the version just read, or {@code create()} when no
 * document exists, retried from a fresh read when it loses.
 *
 * <p>A token-less completion is two writes (merge, then the count/claim compare-and-set): a process
 * that dies between them leaves {@code _completed_count} stale and the trigger unclaimed until the
 * message is redelivered or the reconciler settles the key. Orchestrators must therefore
 * acknowledge a message only after {@link #record} returned.
 *
 * <p>Time: completion, claim, deadline and audit times come from the injected {@link Clock}, so
 * deadlines and the unconfirmed-claim timeout are judged by the orchestrators' clocks; {@code
 * _last_update} is the server's time.
 *
 * <p>Thread-safe. The {@link Firestore} client is the caller's; this class never closes it.
 */
public final class FirestoreCompletionTracker extends AbstractCompletionTracker {
  private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final Firestore firestore;
  private final UnaryOperator<String> collectionOf;
  private final Duration rpcTimeout;

  private FirestoreCompletionTracker(Builder b) {
    super(b.config, b.publisher, b.clock, b.retryPolicy, Pacing.system());
    this.firestore = b.firestore;
    this.collectionOf = b.collectionOf;
    this.rpcTimeout = b.rpcTimeout;
  }

  /**
   * Returns a tracker with the defaults: the system UTC clock, collections {@code
   * <phase>_completion}, a 10 second timeout per Firestore call.
   *
   * @param firestore the client; never closed by the tracker
   * @param config the phases tracked
   * @param publisher publishes won triggers
   */
  public static FirestoreCompletionTracker create(
      Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
    return builder(firestore, config, publisher).build();
  }

  /** Returns a builder that starts from the defaults of {@link #create}. */
  public static Builder builder(
      Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
    return new Builder(firestore, config, publisher);
  }

  /** Returns the document that holds {@code key}. */
  public DocumentReference document(CompletionKey key) {
    return firestore.collection(collectionOf.apply(key.phase())).document(key.date().toString());
  }

  @Override
  protected StoredState read(CompletionKey key, PhaseConfig phase) {
    DocumentSnapshot doc = Calls.read(document(key).get(), rpcTimeout, key, "read");
    CompletionState state = SeedLayout.read(key, phase, doc);
    return new StoredState(
        state, doc.exists() ? Optional.of(doc.getUpdateTime()) : Optional.empty());
  }

  @Override
  protected boolean mergeCompletion(CompletionKey key, RecordedCompletion completion) {
    Map<String, Object> fields =
        Map.of(
            completion.processor(),
            SeedLayout.completionValue(completion),
            SeedLayout.LAST_UPDATE,
            FieldValue.serverTimestamp());
    // mergeFieldPaths replaces the processor's whole field (no stale sub-fields of an older value)
    // and leaves every other field alone.
    SetOptions only =
        SetOptions.mergeFieldPaths(
            List.of(FieldPath.of(completion.processor()), FieldPath.of(SeedLayout.LAST_UPDATE)));
    return Calls.merge(
        document(key).set(fields, only), rpcTimeout, key, "merge " + completion.processor());
  }

  @Override
  protected boolean compareAndSet(CompletionKey key, StoredState expected, StateChange change) {
    DocumentReference doc = document(key);
    if (expected.version().isEmpty()) {
      return Calls.write(
          doc.create(SeedLayout.fields(change, true)), rpcTimeout, key, "create document");
    }
    Timestamp version = (Timestamp) expected.version().get();
    List<Object> pairs = new ArrayList<>();
    SeedLayout.fields(change, false)
        .forEach(
            (name, value) -> {
              pairs.add(FieldPath.of(name));
              pairs.add(value);
            });
    return Calls.write(
        doc.update(
            Precondition.updatedAt(version),
            (FieldPath) pairs.get(0),
            pairs.get(1),
            pairs.subList(2, pairs.size()).toArray()),
        rpcTimeout,
        key,
        "conditional update");
  }

  /** Builds a {@link FirestoreCompletionTracker}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final Firestore firestore;
    private final CompletionConfig config;
    private final TriggerPublisher publisher;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<String> collectionOf = phase -> phase + "_completion";
    private Duration rpcTimeout = RpcTimeouts.DEFAULT;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

    private Builder(Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
      this.firestore = requireNonNull(firestore, "firestore");
      this.config = requireNonNull(config, "config");
      this.publisher = requireNonNull(publisher, "publisher");
    }

    /** Sets the clock of completion, claim, deadline and audit times. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the collection of each phase; by default {@code <phase>_completion}.
     *
     * @throws IllegalArgumentException if it maps a configured phase to a name that is not 1-100
     *     characters of {@code [A-Za-z0-9_-]}; the message names it
     */
    public Builder collectionNaming(UnaryOperator<String> collectionOf) {
      requireNonNull(collectionOf, "collectionOf");
      for (PhaseConfig phase : config.phases()) {
        String name = collectionOf.apply(phase.phase());
        if (name == null || !COLLECTION.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "collection of phase "
                  + phase.phase()
                  + " must be 1-100 characters of [A-Za-z0-9_-], but was '"
                  + name
                  + "'");
        }
      }
      this.collectionOf = collectionOf;
      return this;
    }

    /**
     * Sets how long one Firestore call may take before it fails with {@link
     * dev.pipelinereliability.completion.CompletionStoreException}.
     *
     * @throws IllegalArgumentException if not positive or longer than 5 minutes
     */
    public Builder rpcTimeout(Duration rpcTimeout) {
      this.rpcTimeout = RpcTimeouts.check(rpcTimeout);
      return this;
    }

    /**
     * Sets the backoff between lost compare-and-set attempts (and ABORTED answers) and the deadline
     * of one operation; by default {@link RetryPolicy#DEFAULT}.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Returns the tracker. */
    public FirestoreCompletionTracker build() {
      return new FirestoreCompletionTracker(this);
    }
  }
}
