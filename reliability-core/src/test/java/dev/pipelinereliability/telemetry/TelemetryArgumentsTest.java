package dev.pipelinereliability.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.pipelinereliability.completion.RecordOutcome;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.telemetry.LockMetrics.AcquireOutcome;
import dev.pipelinereliability.telemetry.LockMetrics.HoldOutcome;
import dev.pipelinereliability.telemetry.WriteMetrics.Refusal;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The recorders' public methods, which backends outside this project may call, reject a null with a
 * {@link NullPointerException} naming the parameter and a negative count with an {@link
 * IllegalArgumentException} naming it and its value; the timed ones before they run the call.
 */
@SuppressWarnings("NullAway") // passes null on purpose
class TelemetryArgumentsTest {
  private final ReliabilityTelemetry telemetry = ReliabilityTelemetry.of(OpenTelemetry.noop());

  @Test
  void lockRecorderNamesTheNullParameterAndRunsNothing() {
    LockMetrics lock = telemetry.lock(Clock.systemUTC());
    AtomicBoolean ran = new AtomicBoolean();
    assertThatNullPointerException()
        .isThrownBy(() -> lock.timeAcquire(null, () -> ran.getAndSet(true)))
        .withMessage("lockType");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.timeTryAcquire(null, () -> Optional.of(ran.getAndSet(true))))
        .withMessage("lockType");
    assertThat(ran).isFalse();
    assertThatNullPointerException()
        .isThrownBy(() -> lock.timeAcquire("phase3", null))
        .withMessage("acquire");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.acquireFinished("phase3", null, Instant.EPOCH))
        .withMessage("outcome");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.acquireFinished("phase3", AcquireOutcome.ACQUIRED, null))
        .withMessage("started");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.holdEnded(null, HoldOutcome.RELEASED, Instant.EPOCH))
        .withMessage("lockType");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.holdEnded("phase3", HoldOutcome.LOST, null))
        .withMessage("acquiredAt");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.leaseLost("phase3", null))
        .withMessage("cause");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.leaseLost(null, LockLossCause.EXPIRED))
        .withMessage("lockType");
    assertThatNullPointerException()
        .isThrownBy(() -> lock.renewalFailed(null))
        .withMessage("lockType");
  }

  @Test
  void completionRecorderNamesTheBadArgument() {
    CompletionMetrics completion = telemetry.completion();
    assertThatNullPointerException()
        .isThrownBy(() -> completion.delivered(null, RecordOutcome.RECORDED, true))
        .withMessage("phase");
    assertThatNullPointerException()
        .isThrownBy(() -> completion.delivered("phase3", null, true))
        .withMessage("outcome");
    assertThatNullPointerException()
        .isThrownBy(() -> completion.triggerClaimed(null, null, 0))
        .withMessage("phase");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> completion.triggerClaimed("phase3", null, -1))
        .withMessage("missing must be >= 0: -1");
    assertThatNullPointerException()
        .isThrownBy(() -> completion.triggerPublished(null, false))
        .withMessage("phase");
  }

  @Test
  void dataRecordersNameTheBadArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> telemetry.dedup().deduplicated(-1, 0))
        .withMessage("in must be >= 0: -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> telemetry.dedup().deduplicated(3, 4))
        .withMessage("removed must be <= in: removed 4, in 3");
    ValidationMetrics validation = telemetry.validation();
    assertThatNullPointerException()
        .isThrownBy(() -> validation.validated(null, 0, 0))
        .withMessage("table");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> validation.validated("ds.t", 1, -2))
        .withMessage("excessRowCount must be >= 0: -2");

    WriteMetrics writes = telemetry.writes();
    AtomicBoolean ran = new AtomicBoolean();
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                writes.recordWrite(
                    null,
                    () -> {
                      ran.set(true);
                      return WriteResult.nothing();
                    }))
        .withMessage("table");
    assertThat(ran).isFalse();
    assertThatNullPointerException()
        .isThrownBy(() -> writes.recordWrite("ds.t", null))
        .withMessage("write");
    assertThatNullPointerException().isThrownBy(() -> writes.attempted(null)).withMessage("table");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> writes.retried("ds.t", -1))
        .withMessage("count must be >= 0: -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> writes.written("ds.t", -5))
        .withMessage("rowCount must be >= 0: -5");
    assertThatNullPointerException()
        .isThrownBy(() -> writes.refused("ds.t", null))
        .withMessage("refusal");
    assertThatNullPointerException()
        .isThrownBy(() -> writes.refused(null, Refusal.STALE_FENCE))
        .withMessage("table");
  }
}
