package dev.pipelinereliability.health.internal;

import java.time.Duration;

/**
 * Text helpers shared by the health renderers and checks. Internal: not part of the API and may
 * change without notice. Stateless and thread-safe.
 */
public final class Text {
  private Text() {}

  /**
   * Returns {@code value} on one line: line breaks and tabs become spaces and other control
   * characters become {@code ?}, so a message cannot forge extra rows in a table or a log.
   */
  public static String oneLine(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t' || c == '\u2028' || c == '\u2029') {
        out.append(' ');
      } else if (Character.isISOControl(c)) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Returns a duration the way an operator reads it: {@code 8h45m}, {@code 2d3h}, {@code 30s},
   * {@code 0s}; negative durations get a leading minus. Sub-second parts show only when the whole
   * duration is under a second ({@code 250ms}).
   */
  public static String human(Duration duration) {
    if (duration.isNegative()) {
      return "-" + human(duration.negated());
    }
    long seconds = duration.toSeconds();
    if (seconds == 0) {
      long millis = duration.toMillis();
      if (millis > 0) {
        return millis + "ms";
      }
      return duration.isZero() ? "0s" : duration.toNanos() + "ns";
    }
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long secs = seconds % 60;
    StringBuilder out = new StringBuilder();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (secs > 0) {
      out.append(secs).append('s');
    }
    return out.toString();
  }
}
