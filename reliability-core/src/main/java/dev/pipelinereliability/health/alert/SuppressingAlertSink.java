package dev.pipelinereliability.health.alert;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.AlertSink;
import dev.pipelinereliability.health.CheckResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps an {@link AlertSink} and holds back repeated alerts for the same finding within a window,
 * so a check that runs every 15 minutes does not post the same failure to Slack 96 times a day.
 *
 * <p>A finding is a check name plus a status. An alert is passed on unless the same finding was
 * delivered less than {@code window} ago: exactly {@code window} after the last delivery it goes
 * out again. Hence:
 *
 * <ul>
 *   <li>a change of status ({@code WARN} to {@code FAIL}, or back) alerts at once;
 *   <li>a check that turns {@code OK} ({@link #resolved}) is forgotten, so its next failure alerts
 *       at once;
 *   <li>a delivery that throws is not recorded, so the next run tries again, and the exception
 *       propagates to the caller (the runner logs it);
 *   <li>a history that fails ({@link AlertHistoryException}, or any other runtime exception) fails
 *       open: the alert is delivered unsuppressed and the failure logged, since a repeat beats a
 *       lost alert.
 * </ul>
 *
 * <p>The memory is an {@link AlertHistory}: in memory by default, which suppresses only within one
 * process. Thread-safe if the delegate and the history are; two threads sending the same finding at
 * once may both deliver it.
 */
public final class SuppressingAlertSink implements AlertSink {
  private static final Logger log = LoggerFactory.getLogger(SuppressingAlertSink.class);

  private final AlertSink delegate;
  private final Duration window;
  private final Clock clock;
  private final AlertHistory history;

  /**
   * Suppresses repeats within {@code window}, remembering in this process's memory.
   *
   * @param delegate the delegate
   * @param window the window
   * @param clock the clock
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public SuppressingAlertSink(AlertSink delegate, Duration window, Clock clock) {
    this(delegate, window, clock, new InMemoryAlertHistory());
  }

  /**
   * Suppresses repeats within {@code window}, remembering in {@code history}.
   *
   * @param delegate the delegate
   * @param window the window
   * @param clock the clock
   * @param history the history
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public SuppressingAlertSink(
      AlertSink delegate, Duration window, Clock clock, AlertHistory history) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.window = requireNonNull(window, "window");
    this.clock = requireNonNull(clock, "clock");
    this.history = requireNonNull(history, "history");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be positive, but was " + window);
    }
  }

  /**
   * Passes {@code result} on unless the same finding was delivered within the window.
   *
   * @throws dev.pipelinereliability.health.AlertDeliveryException if the delegate could not deliver
   */
  @Override
  public void send(CheckResult result) {
    Instant now = clock.instant();
    Optional<Instant> last;
    try {
      last = history.lastSent(result.name(), result.status());
    } catch (RuntimeException e) {
      // Fail open, whatever the history threw: without it a repeat cannot be told from a first
      // alert, and a repeated alert is better than a lost one.
      log.warn("alert history unreadable for '{}'; sending without suppression", result.name(), e);
      last = Optional.empty();
    }
    if (last.isPresent() && now.isBefore(last.get().plus(window))) {
      log.debug(
          "suppressed repeated {} alert for '{}', last sent {}",
          result.status(),
          result.name(),
          last.get());
      return;
    }
    delegate.send(result);
    try {
      history.recordSent(result.name(), result.status(), now);
    } catch (RuntimeException e) {
      log.warn(
          "alert for '{}' sent but not recorded; the next run may repeat it", result.name(), e);
    }
  }

  /** Forgets the check's earlier alerts and tells the delegate it recovered. */
  @Override
  public void resolved(CheckResult result) {
    try {
      history.clear(result.name());
    } catch (RuntimeException e) {
      // The recovery notice matters more than the bookkeeping: a stale entry only suppresses a
      // relapse within the window.
      log.warn("alert history for '{}' not cleared", result.name(), e);
    }
    delegate.resolved(result);
  }

  @Override
  public String toString() {
    return "SuppressingAlertSink[" + delegate + ", window=" + window + "]";
  }
}
