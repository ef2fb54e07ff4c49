package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a processor says about one finished run: the id of the message that announced it, how many
 * rows it wrote, the fencing token of the lock it held, and free-form details.
 *
 * <p>Every part is optional. The fencing token is what makes a late completion from a superseded
 * run harmless: a completion whose token is lower than the one already recorded for the same
 * processor is rejected as {@link RecordOutcome#STALE}. Pass {@code lock.fencingToken()} from the
 * {@code LockHandle} the run held. Token-less and fenced completions of one processor may be mixed:
 * a completion without a token never replaces a stored one, and one with a token replaces a stored
 * one only if it has no token or an older one.
 *
 * <p>Rules: message id 1 to {@value #MAX_TEXT} characters, not blank, no control characters; row
 * count and fencing token zero or positive; at most {@value #MAX_DETAILS} details, each key 1 to
 * {@value #MAX_DETAIL_KEY} characters of {@code [A-Za-z0-9_-]}, each value at most {@value
 * #MAX_TEXT} characters without control characters. Details keep their insertion order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId the id of the message that announced the completion, such as a Pub/Sub message
 *     id
 * @param rowCount the number of rows the run wrote
 * @param fencingToken the fencing token of the lock the run held
 * @param details other facts worth keeping beside the completion (an execution id, a revision)
 */
public record Completion(
    Optional<String> messageId,
    OptionalLong rowCount,
    OptionalLong fencingToken,
    Map<String, String> details) {

  /** Most details one completion may carry. */
  public static final int MAX_DETAILS = 20;

  /** Longest message id or detail value, in characters. */
  public static final int MAX_TEXT = 1024;

  /** Longest detail key, in characters. */
  public static final int MAX_DETAIL_KEY = 64;

  private static final Completion EMPTY =
      new Completion(Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Map.of());

  /**
   * Validates and creates a completion; prefer {@link #builder()} or the factories.
   *
   * @param messageId the id of the message that announced the completion, such as a Pub/Sub message
   *     id
   * @param rowCount the number of rows the run wrote
   * @param fencingToken the fencing token of the lock the run held
   * @param details other facts worth keeping beside the completion (an execution id, a revision)
   * @throws IllegalArgumentException if any part breaks the rules above; the message names it
   */
  public Completion {
    requireNonNull(messageId, "messageId");
    requireNonNull(rowCount, "rowCount");
    requireNonNull(fencingToken, "fencingToken");
    requireNonNull(details, "details");
    messageId.ifPresent(id -> checkText("messageId", id, false));
    if (rowCount.isPresent() && rowCount.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "rowCount must be zero or positive, but was " + rowCount.getAsLong());
    }
    if (fencingToken.isPresent() && fencingToken.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "fencingToken must be zero or positive, but was " + fencingToken.getAsLong());
    }
    if (details.size() > MAX_DETAILS) {
      throw new IllegalArgumentException(
          "at most " + MAX_DETAILS + " details are allowed, but there were " + details.size());
    }
    Map<String, String> copy = new LinkedHashMap<>();
    details.forEach(
        (k, v) -> {
          requireNonNull(k, "detail key");
          requireNonNull(v, "detail value of " + k);
          if (k.isEmpty() || k.length() > MAX_DETAIL_KEY || !k.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                "detail key must be 1-"
                    + MAX_DETAIL_KEY
                    + " characters of [A-Za-z0-9_-], but was '"
                    + k
                    + "'");
          }
          checkText("detail '" + k + "'", v, true);
          copy.put(k, v);
        });
    details = java.util.Collections.unmodifiableMap(copy);
  }

  private static void checkText(String what, String value, boolean blankAllowed) {
    if ((!blankAllowed && value.isBlank()) || value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          what
              + " must be "
              + (blankAllowed ? "" : "non-blank and ")
              + "at most "
              + MAX_TEXT
              + " characters, but was '"
              + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
              + "'");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what + " must not contain control characters, but was '" + value.strip() + "'");
    }
  }

  /**
   * Returns a completion that carries nothing but the fact itself.
   *
   * @return a completion that carries nothing but the fact itself
   */
  public static Completion empty() {
    return EMPTY;
  }

  /**
   * Returns a completion announced by message {@code messageId}.
   *
   * @param messageId the id of the message that announced the completion
   * @return a completion announced by message {@code messageId}
   * @throws IllegalArgumentException if the id is blank, too long or has control characters
   */
  public static Completion ofMessage(String messageId) {
    return builder().messageId(messageId).build();
  }

  /**
   * Returns a completion from a run that held a lock with {@code fencingToken}.
   *
   * @param fencingToken the fencing token of the lock the run held
   * @return a completion from a run that held a lock with {@code fencingToken}
   * @throws IllegalArgumentException if the token is negative
   */
  public static Completion withToken(long fencingToken) {
    return builder().fencingToken(fencingToken).build();
  }

  /**
   * Returns a builder that starts empty.
   *
   * @return a builder that starts empty
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder that starts from this completion.
   *
   * @return a builder that starts from this completion
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messageId = messageId;
    b.rowCount = rowCount;
    b.fencingToken = fencingToken;
    b.details.putAll(details);
    return b;
  }

  /**
   * Whether this completion is from an older run than {@code recorded}: both carry fencing tokens
   * and this one's is lower. Completions without a token are never stale.
   *
   * @param recorded the completion stored for the processor
   * @return whether this completion is from an older run than {@code recorded}: both carry fencing
   *     tokens and this one's is lower
   */
  public boolean isOlderThan(Completion recorded) {
    requireNonNull(recorded, "recorded");
    return fencingToken.isPresent()
        && recorded.fencingToken.isPresent()
        && fencingToken.getAsLong() < recorded.fencingToken.getAsLong();
  }

  /**
   * Whether this completion is from a newer run than {@code recorded}: both carry fencing tokens
   * and this one's is higher, or only this one carries a token.
   *
   * @param recorded the completion stored for the processor
   * @return whether this completion is from a newer run than {@code recorded}: both carry fencing
   *     tokens and this one's is higher, or only this one carries a token
   */
  public boolean isNewerThan(Completion recorded) {
    requireNonNull(recorded, "recorded");
    if (fencingToken.isEmpty()) {
      return false;
    }
    return recorded.fencingToken.isEmpty()
        || fencingToken.getAsLong() > recorded.fencingToken.getAsLong();
  }

  /** Builds a {@link Completion}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private Optional<String> messageId = Optional.empty();
    private OptionalLong rowCount = OptionalLong.empty();
    private OptionalLong fencingToken = OptionalLong.empty();
    private final Map<String, String> details = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the id of the message that announced the completion.
     *
     * @param messageId the message id
     * @return this builder
     */
    public Builder messageId(String messageId) {
      this.messageId = Optional.of(requireNonNull(messageId, "messageId"));
      return this;
    }

    /**
     * Sets the number of rows the run wrote.
     *
     * @param rowCount the row count, zero or positive (checked by {@link #build()})
     * @return this builder
     */
    public Builder rowCount(long rowCount) {
      this.rowCount = OptionalLong.of(rowCount);
      return this;
    }

    /**
     * Sets the fencing token of the lock the run held.
     *
     * @param fencingToken the token, zero or positive (checked by {@link #build()})
     * @return this builder
     */
    public Builder fencingToken(long fencingToken) {
      this.fencingToken = OptionalLong.of(fencingToken);
      return this;
    }

    /**
     * Adds or replaces one detail.
     *
     * @param key the detail key
     * @param value the detail value
     * @return this builder
     */
    public Builder detail(String key, String value) {
      details.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /**
     * Returns the completion.
     *
     * @return the completion
     * @throws IllegalArgumentException if any part breaks the rules in the class documentation
     */
    public Completion build() {
      return new Completion(messageId, rowCount, fencingToken, details);
    }
  }
}
