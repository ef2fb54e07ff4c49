package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.testkit.write.InMemoryPartitionWriter;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's default: a primitive built without an OpenTelemetry instance reports to {@code
 * GlobalOpenTelemetry.get()}, read once when it is built. So one built after the SDK was installed
 * reports to it (and keeps reporting to it if the global instance is replaced), and one built
 * before records nothing, even once an SDK is installed; its build also fixed the global instance
 * to the no-op, so a later {@code GlobalOpenTelemetry.set} is refused.
 *
 * <p>Resets the global instance before and after each test ({@code GlobalOpenTelemetry
 * .resetForTest()}); the module's tests run one class at a time, so no other test sees it set.
 */
class GlobalOpenTelemetryDefaultTest {
  private static final LocalDate DAY = LocalDate.of(2026, 2, 3);

  /** Every instrument {@link Primitives#exercise()} records into. */
  private static final Set<String> EXERCISED =
      Set.of(
          "pipeline_reliability.dedup.rows.in {row}",
          "pipeline_reliability.dedup.rows.removed {row}",
          "pipeline_reliability.health.checks {check}",
          "pipeline_reliability.completion.deliveries {delivery}",
          "pipeline_reliability.completion.first_completions {completion}",
          "pipeline_reliability.completion.triggers {trigger}",
          "pipeline_reliability.completion.trigger.delay s",
          "pipeline_reliability.lock.acquire.duration s",
          "pipeline_reliability.lock.hold.duration s",
          "pipeline_reliability.write.attempts {write}",
          "pipeline_reliability.write.rows {row}",
          "pipeline_reliability.validation.runs {validation}",
          "pipeline_reliability.validation.duplicate_keys {key}",
          "pipeline_reliability.validation.excess_rows {row}");

  @BeforeEach
  @AfterEach
  void resetGlobal() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void primitivesBuiltAfterTheSdkIsInstalledReportToItAndKeepItWhenTheGlobalChanges() {
    try (MetricsCapture installed = MetricsCapture.create();
        MetricsCapture later = MetricsCapture.create()) {
      GlobalOpenTelemetry.set(installed.openTelemetry());
      Primitives built = new Primitives();

      // Read once: replacing the global instance afterwards does not move them.
      GlobalOpenTelemetry.resetForTest();
      GlobalOpenTelemetry.set(later.openTelemetry());
      built.exercise();

      assertThat(installed.recordedInstruments()).isEqualTo(new TreeSet<>(EXERCISED));
      assertThat(later.recordedInstruments()).isEmpty();
    }
  }

  @Test
  void primitivesBuiltBeforeTheSdkIsInstalledRecordNothingAndFixTheGlobalToTheNoOp() {
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    Primitives early = new Primitives();
    assertThat(GlobalOpenTelemetry.isSet()).as("building read the global instance").isTrue();

    try (MetricsCapture sdk = MetricsCapture.create()) {
      // What an application that installs its SDK too late sees.
      assertThatThrownBy(() -> GlobalOpenTelemetry.set(sdk.openTelemetry()))
          .isInstanceOf(IllegalStateException.class);

      // Even where the global instance can still be replaced, the early primitives keep the no-op.
      GlobalOpenTelemetry.resetForTest();
      GlobalOpenTelemetry.set(sdk.openTelemetry());
      early.exercise();
      assertThat(sdk.recordedInstruments()).isEmpty();

      new Primitives().exercise();
      assertThat(sdk.recordedInstruments()).isEqualTo(new TreeSet<>(EXERCISED));
    }
  }

  /** One of each primitive the testkit can build with its OpenTelemetry default. */
  private static final class Primitives {
    private final FakeClock clock = FakeClock.create();
    private final Deduplicator<Map<String, Object>> dedup = Deduplicator.forRows("id").build();
    private final HealthCheckRunner health =
        HealthCheckRunner.builder()
            .addCheck(
                HealthAndDataMetricsTest.check("locks", () -> CheckResult.ok("locks", "fine")))
            .build();
    private final InMemoryCompletionTracker tracker =
        new InMemoryCompletionTracker(
            CompletionConfig.of(PhaseConfig.of("phase2", "odds")),
            new RecordingTriggerPublisher(),
            clock);
    private final InMemoryDistributedLock lock = new InMemoryDistributedLock(clock);
    private final InMemoryPartitionWriter writer = new InMemoryPartitionWriter();
    private final InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator();

    void exercise() {
      dedup.apply(List.of(Map.of("id", 1), Map.of("id", 1)));
      health.run();
      tracker.record(CompletionKey.of("phase2", DAY), "odds", Completion.empty());
      lock.tryAcquire(LockKey.of("nightly", "2026-02-03")).orElseThrow().close();
      writer.replacePartition(
          "odds.lines",
          new PartitionFilter("day", DAY),
          List.of(Map.of("id", 1, "day", DAY)),
          Fence.unfenced());
      validator.putTable("odds.lines", List.of(Map.of("id", 1)));
      validator.validate(DuplicateCheck.of("odds.lines", List.of("id")));
    }
  }
}
