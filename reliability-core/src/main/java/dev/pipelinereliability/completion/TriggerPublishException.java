package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.ReliabilityException;

/**
 * Thrown when this caller won a trigger claim but the {@link TriggerPublisher} failed. The
 * completion itself was recorded, and the claim stays stored unconfirmed: the reconciler (or the
 * next {@link CompletionTracker#settle} after {@link CompletionConfig#unconfirmedClaimTimeout()})
 * publishes it again with the same {@link Trigger#id()}. Redelivering the completion message is
 * harmless.
 */
public class TriggerPublishException extends ReliabilityException {
  private static final long serialVersionUID = 1L;

  private final transient Trigger trigger;

  /**
   * Creates the exception.
   *
   * @param trigger the claimed, unconfirmed trigger
   * @param cause what the publisher threw
   */
  public TriggerPublishException(Trigger trigger, Throwable cause) {
    super(
        "publishing trigger "
            + requireNonNull(trigger, "trigger").id()
            + " failed; the claim is stored unconfirmed and will be re-published with the same id",
        cause);
    this.trigger = trigger;
  }

  /**
   * Returns the claimed trigger that is waiting for publication.
   *
   * @return the claimed trigger that is waiting for publication
   */
  public Trigger trigger() {
    return trigger;
  }
}
