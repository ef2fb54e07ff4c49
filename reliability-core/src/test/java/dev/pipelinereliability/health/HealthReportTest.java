package dev.pipelinereliability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {
  private static final Instant AT = Instant.parse("2024-11-20T13:00:00Z");

  private static CheckResult result(String name, HealthStatus status) {
    return new CheckResult(name, status, status + " message", Map.of());
  }

  private static HealthReport report(HealthStatus... statuses) {
    var results = new java.util.ArrayList<CheckResult>();
    for (int i = 0; i < statuses.length; i++) {
      results.add(result("check-" + i, statuses[i]));
    }
    return new HealthReport(AT, results);
  }

  @Test
  void emptyReportIsOkAndExitsZero() {
    assertThat(report().status()).isEqualTo(HealthStatus.OK);
    assertThat(report().exitCode()).isZero();
  }

  @Test
  void allOkExitsZero() {
    assertThat(report(HealthStatus.OK, HealthStatus.OK).exitCode()).isEqualTo(0);
  }

  @Test
  void aWarningIsAnIssueAndExitsOne() {
    assertThat(report(HealthStatus.OK, HealthStatus.WARN).exitCode()).isEqualTo(1);
  }

  @Test
  void aFailureExitsOne() {
    assertThat(report(HealthStatus.FAIL, HealthStatus.OK, HealthStatus.WARN).exitCode())
        .isEqualTo(1);
  }

  @Test
  void aCheckThatCouldNotRunExitsTwoEvenWhenOthersFailed() {
    HealthReport report = report(HealthStatus.FAIL, HealthStatus.ERROR, HealthStatus.OK);
    assertThat(report.status()).isEqualTo(HealthStatus.ERROR);
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void countsHoldEveryStatus() {
    assertThat(report(HealthStatus.FAIL, HealthStatus.FAIL, HealthStatus.OK).counts())
        .containsExactly(
            Map.entry(HealthStatus.OK, 1),
            Map.entry(HealthStatus.WARN, 0),
            Map.entry(HealthStatus.FAIL, 2),
            Map.entry(HealthStatus.ERROR, 0));
  }

  @Test
  void duplicateNamesAreRejected() {
    assertThatThrownBy(
            () ->
                new HealthReport(
                    AT, List.of(result("same", HealthStatus.OK), result("same", HealthStatus.OK))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'same'");
  }

  @Test
  void jsonCarriesStatusExitCodeCountsAndEveryCheckInOrder() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("expected", "2024-11-20T06:00-05:00[America/New_York]");
    details.put("note", "quote \" and newline \n");
    HealthReport report =
        new HealthReport(
            AT,
            List.of(
                CheckResult.ok("a", "fine"),
                CheckResult.fail("freshness:odds", "late by 8h45m", details)));

    assertThat(report.toJson())
        .isEqualTo(
            "{\"generatedAt\":\"2024-11-20T13:00:00Z\",\"status\":\"FAIL\",\"exitCode\":1,"
                + "\"counts\":{\"OK\":1,\"WARN\":0,\"FAIL\":1,\"ERROR\":0},"
                + "\"checks\":["
                + "{\"name\":\"a\",\"status\":\"OK\",\"message\":\"fine\",\"details\":{}},"
                + "{\"name\":\"freshness:odds\",\"status\":\"FAIL\",\"message\":\"late by 8h45m\","
                + "\"details\":{\"expected\":\"2024-11-20T06:00-05:00[America/New_York]\","
                + "\"note\":\"quote \\\" and newline \\n\"}}]}");
  }

  @Test
  void tableHasOneRowPerCheckDetailsBelowAndASummary() {
    HealthReport report =
        new HealthReport(
            AT,
            List.of(
                CheckResult.ok("short", "fine"),
                CheckResult.fail("a-much-longer-name", "late", Map.of("lateness", "8h45m"))));

    List<String> lines = report.toTable().lines().toList();

    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("STATUS  CHECK");
    assertThat(lines.get(1)).matches("OK {6}short {15}fine");
    assertThat(lines.get(2)).matches("FAIL {4}a-much-longer-name  late");
    assertThat(lines.get(3)).endsWith("    lateness: 8h45m").startsWith(" ");
    assertThat(lines.get(4))
        .isEqualTo(
            "FAIL: 2 checks, 1 ok, 0 warn, 1 fail, 0 error; exit code 1"
                + " (generated 2024-11-20T13:00:00Z)");
  }

  @Test
  void tableCannotBeForgedByLineBreaksInAMessage() {
    HealthReport report =
        new HealthReport(AT, List.of(CheckResult.ok("x", "fine\nOK      forged  row")));
    assertThat(report.toTable().lines()).hasSize(3);
  }
}
