package dev.pipelinereliability.firestore.completion;

import static java.util.Objects.requireNonNull;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.completion.spi.ForwardingCompletionTracker;
import dev.pipelinereliability.completion.spi.StoreBackedCompletionTracker;
import dev.pipelinereliability.firestore.internal.RpcTimeouts;
import dev.pipelinereliability.retry.RetryPolicy;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CompletionTracker} on Firestore: one document per (phase, date) in the legacy
 * orchestrator's layout, so a team adopts it over its existing documents without a migration. Every
 * write is a compare-and-set (an {@code updatedAt} precondition, or {@code create()}), never a
 * read-write transaction; the decisions are {@link StoreBackedCompletionTracker}'s. The module
 * README describes the layout, the write protocol and the calls per delivery.
 *
 * <p>Completion, claim, deadline and audit times come from the builder's {@link Clock}; {@code
 * _last_update} is the server's time. A Firestore call that fails or outlasts its deadline throws
 * {@link dev.pipelinereliability.completion.CompletionStoreException}. Thread-safe; never closes
 * the {@link Firestore} client.
 */
public final class FirestoreCompletionTracker extends ForwardingCompletionTracker {
  private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final FirestoreCompletionStore store;
  private final CompletionTracker tracker;

  private FirestoreCompletionTracker(Builder b) {
    this.store = new FirestoreCompletionStore(b.firestore, b.collectionOf, b.rpcTimeout);
    StoreBackedCompletionTracker.Builder tracker =
        StoreBackedCompletionTracker.builder(store, b.config, b.publisher)
            .clock(b.clock)
            .retryPolicy(b.retryPolicy);
    if (b.openTelemetry != null) {
      tracker.openTelemetry(b.openTelemetry);
    }
    this.tracker = tracker.build();
  }

  /**
   * Returns a tracker with the defaults: the system UTC clock, collections {@code
   * <phase>_completion}, a 10 second timeout per Firestore call.
   *
   * @param firestore the client; never closed by the tracker
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @return a new tracker
   */
  public static FirestoreCompletionTracker create(
      Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
    return builder(firestore, config, publisher).build();
  }

  /**
   * Returns a builder that starts from the defaults of {@link #create}.
   *
   * @param firestore the client; never closed by the tracker
   * @param config the phases tracked
   * @param publisher publishes won triggers
   * @return a new builder
   */
  public static Builder builder(
      Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
    return new Builder(firestore, config, publisher);
  }

  /**
   * Returns the document that holds {@code key}.
   *
   * @param key the phase and date
   * @return a reference to the key's document (which may not exist yet)
   */
  public DocumentReference document(CompletionKey key) {
    return store.document(key);
  }

  @Override
  protected CompletionTracker delegate() {
    return tracker;
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
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(Firestore firestore, CompletionConfig config, TriggerPublisher publisher) {
      this.firestore = requireNonNull(firestore, "firestore");
      this.config = requireNonNull(config, "config");
      this.publisher = requireNonNull(publisher, "publisher");
    }

    /**
     * Sets the clock of completion, claim, deadline and audit times.
     *
     * @param clock the clock; a {@code FakeClock} in tests
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the collection of each phase; by default {@code <phase>_completion}.
     *
     * @param collectionOf maps a phase name to its collection name
     * @return this builder
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
     * @param rpcTimeout positive, at most 5 minutes
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than 5 minutes
     */
    public Builder rpcTimeout(Duration rpcTimeout) {
      this.rpcTimeout = RpcTimeouts.check(rpcTimeout);
      return this;
    }

    /**
     * Sets the backoff between lost compare-and-set attempts (and ABORTED answers) and the deadline
     * of one operation; by default {@link RetryPolicy#DEFAULT}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Sets where the tracker reports its metrics: deliveries by outcome, first completions,
     * triggers claimed / published / re-published, the time from the first completion to the
     * trigger, and triggers claimed with processors missing; the root README's Telemetry section
     * lists them. Default: {@link GlobalOpenTelemetry#get()}, read once by {@link #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Returns the tracker.
     *
     * @return the tracker
     */
    public FirestoreCompletionTracker build() {
      return new FirestoreCompletionTracker(this);
    }
  }
}
