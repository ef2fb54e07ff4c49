package dev.pipelinereliability.completion;

/**
 * Publishes a trigger to the downstream phase, for example as a Pub/Sub message whose attribute
 * {@code trigger_id} is {@link Trigger#id()}.
 *
 * <p>The tracker calls it only after it has claimed the trigger, and confirms the claim only after
 * {@link #publish} returns normally. If the process dies in between, or {@link #publish} throws,
 * the claim stays unconfirmed and the reconciler publishes it again <em>with the same id</em>.
 * Delivery is therefore at least once per trigger id and, in the absence of such failures, exactly
 * once; downstream de-duplicates by the id to make it exactly once in all cases.
 *
 * <p>{@code publish} should return only when the message is durably accepted (for Pub/Sub, when the
 * publish future completed). Implementations must be thread-safe: different keys publish
 * concurrently.
 */
@FunctionalInterface
public interface TriggerPublisher {
  /** A publisher that publishes nothing, for trackers whose callers act on the result instead. */
  TriggerPublisher NONE = trigger -> {};

  /**
   * Publishes {@code trigger}.
   *
   * @param trigger the trigger to publish
   * @throws Exception if the trigger may not have been published; the tracker wraps it in a {@link
   *     TriggerPublishException} and leaves the claim for the reconciler
   */
  void publish(Trigger trigger) throws Exception;
}
