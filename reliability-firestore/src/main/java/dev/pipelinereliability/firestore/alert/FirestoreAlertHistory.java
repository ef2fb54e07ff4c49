package dev.pipelinereliability.firestore.alert;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.SetOptions;
import dev.pipelinereliability.firestore.internal.DocumentIds;
import dev.pipelinereliability.firestore.internal.FirestoreCalls;
import dev.pipelinereliability.firestore.internal.Retention;
import dev.pipelinereliability.firestore.internal.RpcTimeouts;
import dev.pipelinereliability.firestore.internal.Timestamps;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.alert.AlertHistory;
import dev.pipelinereliability.health.alert.AlertHistoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An {@link AlertHistory} in Firestore, so that {@link
 * dev.pipelinereliability.health.alert.SuppressingAlertSink} holds back repeats across runs of a
 * health-check job that starts a new process each time. One document per check name, one timestamp
 * field per status, and {@code expireAt} for a TTL policy; the module README describes the layout.
 * Recording merges one status field, so concurrent runs keep each other's records.
 *
 * <p>Every call waits at most the RPC timeout; a call that fails or times out throws {@link
 * AlertHistoryException}, which {@code SuppressingAlertSink} answers by sending the alert anyway.
 * Never closes the {@link Firestore} client. Thread-safe.
 */
public final class FirestoreAlertHistory implements AlertHistory {
  /** The collection used unless {@link Builder#collection} says otherwise. */
  public static final String DEFAULT_COLLECTION = "pipeline_alert_history";

  private static final String CHECK = "check";
  private static final String EXPIRE_AT = "expireAt";

  private final CollectionReference collection;
  private final FirestoreCalls<String> calls;
  private final Duration retention;

  private FirestoreAlertHistory(Builder b) {
    this.collection = b.firestore.collection(b.collection);
    // No write here is conditional, so no failure is a conflict: every one fails the call.
    this.calls =
        new FirestoreCalls<>(
            b.rpcTimeout,
            Set.of(),
            (checkName, what, failure) ->
                new AlertHistoryException(
                    "alert history " + what + " for '" + checkName + "' " + failure.message(),
                    failure.cause()));
    this.retention = b.retention;
  }

  /**
   * Returns a history in {@value #DEFAULT_COLLECTION} with the defaults.
   *
   * @param firestore the caller's client; never closed here
   * @return the history
   */
  public static FirestoreAlertHistory create(Firestore firestore) {
    return builder(firestore).build();
  }

  /**
   * Starts a history on {@code firestore}.
   *
   * @param firestore the caller's client; never closed here
   * @return a builder with the defaults
   */
  public static Builder builder(Firestore firestore) {
    return new Builder(requireNonNull(firestore, "firestore"));
  }

  @Override
  public Optional<Instant> lastSent(String checkName, HealthStatus status) {
    requireNonNull(status, "status");
    DocumentReference document = document(checkName);
    DocumentSnapshot doc = call(document::get, checkName, "read");
    Timestamp at = doc.exists() ? doc.getTimestamp(status.name()) : null;
    return at == null ? Optional.empty() : Optional.of(Timestamps.instant(at));
  }

  @Override
  public void recordSent(String checkName, HealthStatus status, Instant at) {
    requireNonNull(status, "status");
    requireNonNull(at, "at");
    DocumentReference document = document(checkName);
    call(
        () -> {
          Map<String, Object> fields = new HashMap<>();
          fields.put(CHECK, checkName);
          fields.put(status.name(), Timestamps.timestamp(at));
          fields.put(EXPIRE_AT, Timestamps.timestamp(at.plus(retention)));
          return document.set(fields, SetOptions.merge());
        },
        checkName,
        "record " + status);
  }

  @Override
  public void clear(String checkName) {
    DocumentReference document = document(checkName);
    call(document::delete, checkName, "clear");
  }

  /**
   * The document of {@code checkName}, for operators and tests.
   *
   * @param checkName the check name
   * @return the document of {@code checkName}, for operators and tests
   */
  public DocumentReference document(String checkName) {
    return collection.document(DocumentIds.of("alert", requireNonNull(checkName, "checkName")));
  }

  /**
   * Starts the call and waits for it. Everything that can go wrong, including what the client
   * throws before a call even starts (a closed client, a timestamp out of Firestore's range),
   * becomes an {@link AlertHistoryException}, so that a suppressing sink can fail open.
   */
  private <T> T call(Supplier<ApiFuture<T>> start, String checkName, String what) {
    try {
      return calls.await(start.get(), checkName, what);
    } catch (AlertHistoryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AlertHistoryException(
          "alert history " + what + " for '" + checkName + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "FirestoreAlertHistory[" + collection.getPath() + "]";
  }

  /** Configures a {@link FirestoreAlertHistory}. Not thread-safe; build once and share. */
  public static final class Builder {
    private final Firestore firestore;
    private String collection = DEFAULT_COLLECTION;
    private Duration rpcTimeout = RpcTimeouts.DEFAULT;
    private Duration retention = Duration.ofDays(30);

    private Builder(Firestore firestore) {
      this.firestore = firestore;
    }

    /**
     * Sets the collection; {@value #DEFAULT_COLLECTION} by default.
     *
     * @param collection a top-level collection id: not empty, no {@code /}, not {@code .} or {@code
     *     ..}, not {@code __...__}, at most 1,500 bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code collection} is not a valid collection id; the
     *     message names it
     */
    public Builder collection(String collection) {
      this.collection = DocumentIds.checkCollection(collection);
      return this;
    }

    /**
     * Sets how long each call may take; 10 s by default.
     *
     * @param rpcTimeout positive, at most 5 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range; the message names the value
     */
    public Builder rpcTimeout(Duration rpcTimeout) {
      this.rpcTimeout = RpcTimeouts.check(rpcTimeout);
      return this;
    }

    /**
     * Sets how long after its last record a check's document may be deleted by a TTL policy on
     * {@code expireAt}; 30 days by default. Keep it longer than the suppression window.
     *
     * @param retention positive
     * @return this builder
     * @throws IllegalArgumentException if not positive; the message names the value
     */
    public Builder retention(Duration retention) {
      this.retention = Retention.check(retention, Duration.ZERO);
      return this;
    }

    /**
     * Builds the history.
     *
     * @return the history
     */
    public FirestoreAlertHistory build() {
      return new FirestoreAlertHistory(this);
    }
  }
}
