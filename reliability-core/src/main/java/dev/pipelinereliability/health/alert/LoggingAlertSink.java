package dev.pipelinereliability.health.alert;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.AlertSink;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.internal.Text;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AlertSink} that writes each finding as one log line through SLF4J: {@link
 * HealthStatus#WARN} at WARN level, {@link HealthStatus#FAIL} and {@link HealthStatus#ERROR} at
 * ERROR level, so a log-based alerting policy (Cloud Logging on {@code severity>=ERROR}) picks up
 * failures without any other sink. Healthy results ({@link #resolved}) are logged at INFO.
 *
 * <p>The line is {@code health check <name> <STATUS>: <message> {key=value, ...}}, flattened to one
 * line so a value cannot forge log entries. Never throws on delivery. Thread-safe.
 */
public final class LoggingAlertSink implements AlertSink {
  private final Logger logger;

  /** Creates a sink that logs to the logger named {@code dev.pipelinereliability.health.alert}. */
  public LoggingAlertSink() {
    this(LoggerFactory.getLogger("dev.pipelinereliability.health.alert"));
  }

  /**
   * Creates a sink that logs to {@code logger}.
   *
   * @param logger the logger
   */
  public LoggingAlertSink(Logger logger) {
    this.logger = requireNonNull(logger, "logger");
  }

  @Override
  public void send(CheckResult result) {
    String line = line(result);
    if (result.status() == HealthStatus.WARN) {
      logger.warn(line);
    } else if (result.status() == HealthStatus.OK) {
      logger.info(line);
    } else {
      logger.error(line);
    }
  }

  @Override
  public void resolved(CheckResult result) {
    logger.info(line(result));
  }

  private static String line(CheckResult result) {
    StringBuilder out = new StringBuilder();
    out.append("health check ")
        .append(Text.oneLine(result.name()))
        .append(' ')
        .append(result.status())
        .append(": ")
        .append(Text.oneLine(result.message()));
    if (!result.details().isEmpty()) {
      out.append(" {");
      boolean first = true;
      for (Map.Entry<String, String> d : result.details().entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        out.append(Text.oneLine(d.getKey())).append('=').append(Text.oneLine(d.getValue()));
      }
      out.append('}');
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "LoggingAlertSink[" + logger.getName() + "]";
  }
}
