package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.QueryParameterValue;
import dev.pipelinereliability.write.WriteArguments;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Converts partition values to typed query parameters; values never become SQL text. */
final class Parameters {
  private Parameters() {}

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  static QueryParameterValue of(Object value) {
    if (value instanceof LocalDate) {
      return QueryParameterValue.date(value.toString());
    }
    if (value instanceof String) {
      return QueryParameterValue.string((String) value);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return QueryParameterValue.int64(((Number) value).longValue());
    }
    if (value instanceof Instant) {
      // Microseconds since the epoch: BigQuery's TIMESTAMP precision.
      Instant i = (Instant) value;
      return QueryParameterValue.timestamp(i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000);
    }
    if (value instanceof LocalDateTime) {
      return QueryParameterValue.dateTime(DATETIME.format((LocalDateTime) value));
    }
    if (value instanceof Boolean) {
      return QueryParameterValue.bool((Boolean) value);
    }
    if (value instanceof BigDecimal) {
      return QueryParameterValue.numeric((BigDecimal) value);
    }
    WriteArguments.requirePartitionValue(value);
    throw new IllegalStateException("partition value type without a binding: " + value);
  }

  /**
   * The partition value as the fence table's key: the ISO text of dates and instants, the decimal
   * text of numbers, {@code true}/{@code false}. Validated as {@link #of} validates it.
   */
  static String keyText(Object value) {
    return WriteArguments.partitionKey(value);
  }
}
