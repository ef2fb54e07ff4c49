package dev.pipelinereliability.bigquery.internal;

import dev.pipelinereliability.internal.JsonWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Newline-delimited JSON for load jobs, the format BigQuery loads by column name. */
public final class Ndjson {
  private Ndjson() {}

  /**
   * Encodes {@code rows} as one JSON object per line, in UTF-8.
   *
   * @param rows the rows, column name to value
   * @return the load job's payload
   * @throws NullPointerException if {@code rows} is null
   */
  public static byte[] encode(List<? extends Map<String, ?>> rows) {
    JsonWriter json = new JsonWriter();
    for (Map<String, ?> row : rows) {
      value(json, row);
      json.endLine();
    }
    return rows.isEmpty() ? new byte[0] : json.toJson().getBytes(StandardCharsets.UTF_8);
  }

  private static void value(JsonWriter json, @Nullable Object v) {
    if (v == null) {
      json.nullValue();
    } else if (v instanceof Map<?, ?> map) {
      json.beginObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        json.name(String.valueOf(e.getKey()));
        value(json, e.getValue());
      }
      json.endObject();
    } else if (v instanceof List<?> list) {
      json.beginArray();
      for (Object e : list) {
        value(json, e);
      }
      json.endArray();
    } else if (v instanceof Boolean b) {
      json.value(b.booleanValue());
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      json.value(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      // JSON has no NaN or Infinity literal; BigQuery reads these strings for FLOAT64.
      if (Double.isNaN(d)) {
        json.value("NaN");
      } else if (Double.isInfinite(d)) {
        json.value(d > 0 ? "Infinity" : "-Infinity");
      } else {
        json.value((Number) v);
      }
    } else if (v instanceof BigDecimal bigDecimal) {
      // A string keeps NUMERIC/BIGNUMERIC digits that a JSON number could round.
      json.value(bigDecimal.toPlainString());
    } else if (v instanceof byte[] array) {
      json.value(Base64.getEncoder().encodeToString(array));
    } else {
      // LocalDate, Instant, LocalDateTime, String...: ISO text, which BigQuery parses by type.
      json.value(v.toString());
    }
  }
}
