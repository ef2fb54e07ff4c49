package dev.pipelinereliability.health.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.health.CheckResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class LoggingAlertSinkTest {
  /** A logger that keeps "LEVEL message" lines instead of printing them. */
  private static final class CapturingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> lines = new ArrayList<>();

    CapturingLogger() {
      this.name = "capture";
    }

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }

  private final CapturingLogger logger = new CapturingLogger();
  private final LoggingAlertSink sink = new LoggingAlertSink(logger);

  @Test
  void failuresAndErrorsAreLoggedAtErrorAndWarningsAtWarn() {
    sink.send(CheckResult.warn("w", "hm", Map.of()));
    sink.send(CheckResult.fail("f", "bad", Map.of()));
    sink.send(CheckResult.error("e", "could not run", new IllegalStateException("down")));

    assertThat(logger.lines).hasSize(3);
    assertThat(logger.lines.get(0)).isEqualTo("WARN health check w WARN: hm");
    assertThat(logger.lines.get(1)).isEqualTo("ERROR health check f FAIL: bad");
    assertThat(logger.lines.get(2)).startsWith("ERROR health check e ERROR: could not run {error=");
  }

  @Test
  void detailsFollowOnTheSameLineAndLineBreaksCannotForgeEntries() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("expected", "06:00");
    details.put("note", "two\nlines");
    sink.send(CheckResult.fail("f", "late\nERROR forged", details));

    assertThat(logger.lines)
        .containsExactly(
            "ERROR health check f FAIL: late ERROR forged {expected=06:00, note=two lines}");
  }

  @Test
  void healthyResultsAreLoggedAtInfo() {
    sink.resolved(CheckResult.ok("o", "fine"));
    assertThat(logger.lines).containsExactly("INFO health check o OK: fine");
  }
}
