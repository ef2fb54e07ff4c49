package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.dedup.ConflictingDuplicatesException;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.ValidationException;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health, dedup and validation metrics after scripted runs, read back from an in-memory SDK. */
class HealthAndDataMetricsTest {
  private final MetricsCapture metrics = MetricsCapture.create();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void healthChecksAreCountedByCheckAndStatus() {
    HealthCheckRunner runner =
        HealthCheckRunner.builder()
            .addCheck(check("freshness", () -> CheckResult.fail("freshness", "late", Map.of())))
            .addCheck(check("locks", () -> CheckResult.ok("locks", "fine")))
            .addCheck(
                check(
                    "duplicates",
                    () -> {
                      throw new IllegalStateException("warehouse down");
                    }))
            .openTelemetry(metrics.openTelemetry())
            .build();

    runner.run();
    runner.run();

    String name = "pipeline_reliability.health.checks";
    assertThat(metrics.count(name, "check", "freshness", "status", "fail")).isEqualTo(2);
    assertThat(metrics.count(name, "check", "locks", "status", "ok")).isEqualTo(2);
    assertThat(metrics.count(name, "check", "duplicates", "status", "error")).isEqualTo(2);
    assertThat(metrics.points(name)).hasSize(3);
  }

  @Test
  void aWarningIsCountedAsWarnAndEveryStatusIsLowerCase() {
    HealthCheckRunner runner =
        HealthCheckRunner.builder()
            .addCheck(check("freshness", () -> CheckResult.warn("freshness", "2 h late", Map.of())))
            .openTelemetry(metrics.openTelemetry())
            .build();

    runner.run();

    assertThat(metrics.points("pipeline_reliability.health.checks"))
        .containsExactlyEntriesOf(
            Map.of(
                Attributes.builder().put("check", "freshness").put("status", "warn").build(), 1L));
  }

  @Test
  void aDedupCallThatThrowsCountsNothing() {
    Deduplicator<Map<String, Object>> dedup =
        Deduplicator.forRows("id").failOnConflict().openTelemetry(metrics.openTelemetry()).build();

    assertThatThrownBy(
            () -> dedup.apply(List.of(Map.of("id", 1, "v", "a"), Map.of("id", 1, "v", "b"))))
        .isInstanceOf(ConflictingDuplicatesException.class);
    assertThatThrownBy(() -> dedup.apply(List.of(Map.of("other", 1))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(metrics.points("pipeline_reliability.dedup.rows.in")).isEmpty();
    assertThat(metrics.points("pipeline_reliability.dedup.rows.removed")).isEmpty();
  }

  @Test
  void aDuplicateBurstCountsRowsInAndRemovedOncePerCall() {
    Deduplicator<Map<String, Object>> dedup =
        Deduplicator.forRows("id").openTelemetry(metrics.openTelemetry()).build();
    List<Map<String, Object>> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(Map.of("id", i % 40)); // 40 keys, 60 redeliveries
    }

    dedup.apply(burst);
    dedup.apply(List.of(Map.of("id", 1), Map.of("id", 2)));

    assertThat(metrics.count("pipeline_reliability.dedup.rows.in")).isEqualTo(102);
    assertThat(metrics.count("pipeline_reliability.dedup.rows.removed")).isEqualTo(60);
  }

  @Test
  void validationCountsDuplicateKeysAndExcessRowsByTable() {
    InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator(metrics.openTelemetry());
    validator.putTable(
        "odds.lines",
        List.of(
            Map.of("game", "a", "book", "x"),
            Map.of("game", "a", "book", "x"),
            Map.of("game", "a", "book", "x"),
            Map.of("game", "b", "book", "x"),
            Map.of("game", "b", "book", "x"),
            Map.of("game", "c", "book", "x")));
    validator.putTable("odds.games", List.of(Map.of("game", "a"), Map.of("game", "b")));

    validator.validate(DuplicateCheck.of("odds.lines", List.of("game", "book")));
    validator.validate(DuplicateCheck.of("odds.games", List.of("game")));

    assertThat(
            metrics.count("pipeline_reliability.validation.duplicate_keys", "table", "odds.lines"))
        .isEqualTo(2);
    assertThat(metrics.count("pipeline_reliability.validation.excess_rows", "table", "odds.lines"))
        .isEqualTo(3);
    assertThat(metrics.count("pipeline_reliability.validation.excess_rows", "table", "odds.games"))
        .isZero();
    assertThat(
            metrics.count(
                "pipeline_reliability.validation.runs",
                "table",
                "odds.lines",
                "status",
                "duplicates"))
        .isEqualTo(1);
    assertThat(
            metrics.count(
                "pipeline_reliability.validation.runs", "table", "odds.games", "status", "clean"))
        .isEqualTo(1);
  }

  @Test
  void aValidationThatFailsCountsNothing() {
    InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator(metrics.openTelemetry());

    assertThatThrownBy(() -> validator.validate(DuplicateCheck.of("odds.missing", List.of("id"))))
        .isInstanceOf(ValidationException.class);

    assertThat(metrics.points("pipeline_reliability.validation.runs")).isEmpty();
    assertThat(metrics.points("pipeline_reliability.validation.excess_rows")).isEmpty();
  }

  /** A check named {@code name} whose run is {@code run}. */
  static HealthCheck check(String name, java.util.function.Supplier<CheckResult> run) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult run() {
        return run.get();
      }
    };
  }
}
