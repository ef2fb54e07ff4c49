package dev.pipelinereliability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckRunnerTest {
  private static final Instant NOW = Instant.parse("2024-11-21T13:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static HealthCheck check(String name, Supplier<CheckResult> body) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult run() {
        return body.get();
      }
    };
  }

  /** Records what it is sent; optionally fails every delivery. */
  private static final class Recording implements AlertSink {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final List<String> resolved = Collections.synchronizedList(new ArrayList<>());
    final boolean failing;

    Recording(boolean failing) {
      this.failing = failing;
    }

    @Override
    public void send(CheckResult result) {
      sent.add(result.name() + "=" + result.status());
      if (failing) {
        throw new AlertDeliveryException("endpoint down");
      }
    }

    @Override
    public void resolved(CheckResult result) {
      resolved.add(result.name());
    }
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void resultsAppearInTheOrderChecksWereAddedStampedWithTheClock() {
    HealthReport report =
        HealthCheckRunner.builder()
            .clock(CLOCK)
            .addCheck(check("b", () -> CheckResult.ok("b", "fine")))
            .addCheck(check("a", () -> CheckResult.warn("a", "hm", Map.of())))
            .build()
            .run();

    assertThat(report.generatedAt()).isEqualTo(NOW);
    assertThat(report.results()).extracting(CheckResult::name).containsExactly("b", "a");
    assertThat(report.exitCode()).isEqualTo(1);
  }

  @Test
  void aCheckThatThrowsIsAnErrorNotAnOkAndTheOthersStillRun() {
    AtomicInteger laterRuns = new AtomicInteger();
    HealthReport report =
        HealthCheckRunner.builder()
            .clock(CLOCK)
            .addCheck(
                check(
                    "unreachable",
                    () -> {
                      throw new IllegalStateException("connection refused");
                    }))
            .addCheck(
                check(
                    "later",
                    () -> {
                      laterRuns.incrementAndGet();
                      return CheckResult.ok("later", "fine");
                    }))
            .build()
            .run();

    CheckResult error = report.results().get(0);
    assertThat(error.status()).isEqualTo(HealthStatus.ERROR);
    assertThat(error.message()).contains("IllegalStateException", "connection refused");
    assertThat(error.details()).containsKey("error");
    assertThat(laterRuns).hasValue(1);
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void aMissingClassInACheckIsAnError() {
    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(
                check(
                    "linkage",
                    () -> {
                      throw new NoClassDefFoundError("com/google/cloud/bigquery/BigQuery");
                    }))
            .build()
            .run();
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void aCheckThatReturnsNullIsAnError() {
    HealthReport report =
        HealthCheckRunner.builder().addCheck(check("null", () -> null)).build().run();
    assertThat(report.results().get(0).status()).isEqualTo(HealthStatus.ERROR);
  }

  @Test
  void aResultIsReportedUnderTheChecksNameEvenIfTheCheckMislabelledIt() {
    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(check("real", () -> CheckResult.fail("wrong", "bad", Map.of("k", "v"))))
            .build()
            .run();
    CheckResult only = report.results().get(0);
    assertThat(only.name()).isEqualTo("real");
    assertThat(only.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(only.details()).containsEntry("k", "v");
  }

  @Test
  void afterAnInterruptTheRemainingChecksAreErrorsWithoutRunningAndTheFlagStays() {
    AtomicInteger secondRuns = new AtomicInteger();
    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(
                check(
                    "first",
                    () -> {
                      Thread.currentThread().interrupt();
                      return CheckResult.ok("first", "fine");
                    }))
            .addCheck(
                check(
                    "second",
                    () -> {
                      secondRuns.incrementAndGet();
                      return CheckResult.ok("second", "fine");
                    }))
            .build()
            .run();

    assertThat(report.results().get(1).status()).isEqualTo(HealthStatus.ERROR);
    assertThat(secondRuns).hasValue(0);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void issuesAreSentAndOkResultsResolvedToEverySink() {
    Recording first = new Recording(false);
    Recording second = new Recording(false);
    HealthCheckRunner.builder()
        .addCheck(check("ok", () -> CheckResult.ok("ok", "fine")))
        .addCheck(check("late", () -> CheckResult.fail("late", "late", Map.of())))
        .addAlertSink(first)
        .addAlertSink(second)
        .build()
        .run();

    for (Recording sink : List.of(first, second)) {
      assertThat(sink.sent).containsExactly("late=FAIL");
      assertThat(sink.resolved).containsExactly("ok");
    }
  }

  @Test
  void aFailingSinkNeitherChangesTheReportNorStopsOtherSinks() {
    Recording failing = new Recording(true);
    Recording healthy = new Recording(false);
    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(check("a", () -> CheckResult.warn("a", "hm", Map.of())))
            .addCheck(check("b", () -> CheckResult.fail("b", "bad", Map.of())))
            .addAlertSink(failing)
            .addAlertSink(healthy)
            .build()
            .run();

    assertThat(failing.sent).containsExactly("a=WARN", "b=FAIL");
    assertThat(healthy.sent).containsExactly("a=WARN", "b=FAIL");
    assertThat(report.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(report.exitCode()).isEqualTo(1);
  }

  @Test
  void duplicateCheckNamesAreRejectedAtBuildTime() {
    HealthCheckRunner.Builder builder =
        HealthCheckRunner.builder().addCheck(check("x", () -> CheckResult.ok("x", "")));
    assertThatThrownBy(() -> builder.addCheck(check("x", () -> CheckResult.ok("x", ""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'");
  }
}
