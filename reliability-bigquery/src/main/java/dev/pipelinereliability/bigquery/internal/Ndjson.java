package dev.pipelinereliability.bigquery.internal;

import dev.pipelinereliability.internal.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Newline-delimited JSON for load jobs, the format BigQuery loads by column name. */
public final class Ndjson {
  private Ndjson() {}

  public static byte[] encode(List<? extends Map<String, ?>> rows) {
    StringBuilder sb = new StringBuilder(rows.size() * 128);
    for (Map<String, ?> row : rows) {
      value(sb, row);
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        value(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object e : (List<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, e);
      }
      sb.append(']');
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        // JSON has no NaN or Infinity literal; BigQuery reads these strings for FLOAT64.
        string(sb, Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      } else {
        sb.append(v);
      }
    } else if (v instanceof BigDecimal bigDecimal) {
      string(sb, bigDecimal.toPlainString());
    } else if (v instanceof byte[] array) {
      string(sb, Base64.getEncoder().encodeToString(array));
    } else {
      // LocalDate, Instant, LocalDateTime, String...: ISO text, which BigQuery parses by type.
      string(sb, v.toString());
    }
  }

  /** A JSON string literal, escaped as core's {@link Json} does (RFC 8259, one code for all). */
  private static void string(StringBuilder sb, String s) {
    Json.appendQuoted(sb, s);
  }
}
