package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The claim to trigger the downstream phase for one key, as stored and as handed to the {@link
 * TriggerPublisher}.
 *
 * <p>A trigger is claimed first (stored with {@link #publishedAt()} empty), then published, then
 * confirmed ({@link #publishedAt()} set). Its {@link #id()} never changes once claimed: a claim
 * that was never confirmed is published again with the same id by {@link CompletionTracker#settle}
 * (the reconciler), possibly while a slow claimant is still publishing it too, so downstream must
 * de-duplicate by it. The id is {@code phase/date/generation}; the generation starts at 1 and grows
 * only when an operator resets the trigger ({@link CompletionTracker#resetTrigger}), so the next
 * trigger is a new one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the stable trigger id, {@code phase/date/generation}
 * @param key the phase and date it triggers after
 * @param generation 1 for the first trigger of the key, one more after each reset; 0 for a trigger
 *     written by an older orchestrator that kept no id
 * @param reason why: {@link #REASON_ALL_COMPLETE}, {@link #REASON_DEADLINE}, or the reason of the
 *     {@link Audit} that claimed it (such as {@code reconcile}); free text in older documents
 * @param note details for humans: for a deadline trigger, the deadline and who was missing
 * @param claimedAt when the claim was made (or last renewed for re-publication)
 * @param missing the expected processors that had not completed when the trigger was claimed
 * @param publishedAt when publication was confirmed; empty while the claim is unconfirmed
 * @param claimNonce a random value made for each claim and each renewal of a claim, stored with it,
 *     so a claimant recognises its own claim when the store reported its write as lost (a client
 *     retried a write that had landed); empty for a trigger written by an older orchestrator
 */
public record Trigger(
    String id,
    CompletionKey key,
    int generation,
    String reason,
    String note,
    Instant claimedAt,
    Set<String> missing,
    Optional<Instant> publishedAt,
    String claimNonce) {

  /** Reason of a trigger claimed because every expected processor completed. */
  public static final String REASON_ALL_COMPLETE = "all_complete";

  /** Reason of a trigger claimed by the deadline policy with some processors missing. */
  public static final String REASON_DEADLINE = "deadline";

  /** Reason the reconciler gives for every change it makes. */
  public static final String REASON_RECONCILE = "reconcile";

  /**
   * Validates and creates a trigger.
   *
   * @param id the stable trigger id, {@code phase/date/generation}
   * @param key the phase and date it triggers after
   * @param generation 1 for the first trigger of the key, one more after each reset; 0 for a
   *     trigger written by an older orchestrator that kept no id
   * @param reason why: {@link #REASON_ALL_COMPLETE}, {@link #REASON_DEADLINE}, or the reason of the
   *     {@link Audit} that claimed it (such as {@code reconcile}); free text in older documents
   * @param note details for humans: for a deadline trigger, the deadline and who was missing
   * @param claimedAt when the claim was made (or last renewed for re-publication)
   * @param missing the expected processors that had not completed when the trigger was claimed
   * @param publishedAt when publication was confirmed; empty while the claim is unconfirmed
   * @param claimNonce a random value made for each claim and each renewal of a claim, stored with
   *     it, so a claimant recognises its own claim when the store reported its write as lost (a
   *     client retried a write that had landed); empty for a trigger written by an older
   *     orchestrator
   * @throws IllegalArgumentException if {@code id} is blank, {@code generation} negative, or a
   *     missing name is not a valid processor name
   */
  public Trigger {
    requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("trigger id must not be blank");
    }
    requireNonNull(key, "key");
    if (generation < 0) {
      throw new IllegalArgumentException(
          "generation must be zero or positive, but was " + generation);
    }
    requireNonNull(reason, "reason");
    requireNonNull(note, "note");
    requireNonNull(claimedAt, "claimedAt");
    requireNonNull(missing, "missing").forEach(ProcessorNames::check);
    missing = java.util.Collections.unmodifiableSet(new TreeSet<>(missing));
    requireNonNull(publishedAt, "publishedAt");
    requireNonNull(claimNonce, "claimNonce");
  }

  /**
   * Returns the id of the trigger of {@code key} with {@code generation}.
   *
   * @param key the phase and date
   * @param generation the trigger generation
   * @return the id of the trigger of {@code key} with {@code generation}
   */
  public static String idOf(CompletionKey key, int generation) {
    return key + "/" + generation;
  }

  /**
   * Returns a new, unconfirmed claim of generation {@code generation}, with a fresh nonce.
   *
   * @param key the phase and date
   * @param generation 1 for the first trigger of the key, one more after each reset
   * @param reason why the trigger is claimed
   * @param note details for humans
   * @param claimedAt when the claim is made
   * @param missing the expected processors that have not completed
   * @return a new, unconfirmed claim of generation {@code generation}, with a fresh nonce
   */
  public static Trigger claim(
      CompletionKey key,
      int generation,
      String reason,
      String note,
      Instant claimedAt,
      Set<String> missing) {
    return new Trigger(
        idOf(key, generation),
        key,
        generation,
        reason,
        note,
        claimedAt,
        missing,
        Optional.empty(),
        newNonce());
  }

  /**
   * Whether publication was confirmed.
   *
   * @return whether publication was confirmed
   */
  public boolean confirmed() {
    return publishedAt.isPresent();
  }

  /**
   * Returns this trigger confirmed as published at {@code at}.
   *
   * @param at when publication was confirmed
   * @return this trigger confirmed as published at {@code at}
   */
  public Trigger confirmedAt(Instant at) {
    return new Trigger(
        id,
        key,
        generation,
        reason,
        note,
        claimedAt,
        missing,
        Optional.of(requireNonNull(at)),
        claimNonce);
  }

  /**
   * Returns this unconfirmed trigger with its claim renewed at {@code at}: same id, new nonce.
   *
   * @param at when the claim is renewed
   * @return this unconfirmed trigger with its claim renewed at {@code at}: same id, new nonce
   */
  public Trigger reclaimedAt(Instant at) {
    return new Trigger(
        id, key, generation, reason, note, requireNonNull(at), missing, publishedAt, newNonce());
  }

  /**
   * Whether {@code other} is this very claim (or its renewal's write): same id and the same
   * non-empty nonce. Two callers that claim the same generation never share a nonce.
   *
   * @param other a stored trigger, or null
   * @return whether {@code other} is this very claim (or its renewal's write): same id and the same
   *     non-empty nonce
   */
  public boolean sameClaimAs(Trigger other) {
    return other != null
        && id.equals(other.id)
        && !claimNonce.isEmpty()
        && claimNonce.equals(other.claimNonce);
  }

  private static String newNonce() {
    return UUID.randomUUID().toString();
  }
}
