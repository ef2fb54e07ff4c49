package dev.pipelinereliability.testkit.health;

import dev.pipelinereliability.health.AlertDeliveryException;
import dev.pipelinereliability.health.AlertSink;
import dev.pipelinereliability.health.CheckResult;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AlertSink} that remembers what it was sent, for asserting on alerts in tests. {@link
 * #failDeliveries(boolean)} makes it throw {@link AlertDeliveryException} after recording, as an
 * unreachable endpoint would.
 *
 * <p>Thread-safe.
 */
public final class RecordingAlertSink implements AlertSink {
  private final List<CheckResult> sent = new ArrayList<>();
  private final List<CheckResult> resolved = new ArrayList<>();
  private volatile boolean failing;

  /**
   * Makes later deliveries throw (after being recorded as attempted) or succeed again.
   *
   * @param failing the failing
   */
  public void failDeliveries(boolean failing) {
    this.failing = failing;
  }

  @Override
  public void send(CheckResult result) {
    synchronized (this) {
      sent.add(result);
    }
    if (failing) {
      throw new AlertDeliveryException("recording sink set to fail (simulated)");
    }
  }

  @Override
  public synchronized void resolved(CheckResult result) {
    resolved.add(result);
  }

  /**
   * Returns a copy of every result passed to {@link #send}, in order, delivered or not.
   *
   * @return a copy of every result passed to {@link #send}, in order, delivered or not
   */
  public synchronized List<CheckResult> sent() {
    return List.copyOf(sent);
  }

  /**
   * Returns a copy of every result passed to {@link #resolved}, in order.
   *
   * @return a copy of every result passed to {@link #resolved}, in order
   */
  public synchronized List<CheckResult> resolvedResults() {
    return List.copyOf(resolved);
  }

  /** Forgets everything recorded so far. */
  public synchronized void clear() {
    sent.clear();
    resolved.clear();
  }
}
