package dev.pipelinereliability.bigquery.internal;

import com.google.cloud.bigquery.QueryParameterValue;
import dev.pipelinereliability.write.WriteArguments;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Converts partition values to typed query parameters; values never become SQL text. */
public final class Parameters {
  private Parameters() {}

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  public static QueryParameterValue of(Object value) {
    if (value instanceof LocalDate) {
      return QueryParameterValue.date(value.toString());
    }
    if (value instanceof String string) {
      return QueryParameterValue.string(string);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return QueryParameterValue.int64(((Number) value).longValue());
    }
    if (value instanceof Instant i) {
      // Microseconds since the epoch: BigQuery's TIMESTAMP precision.
      return QueryParameterValue.timestamp(i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000);
    }
    if (value instanceof LocalDateTime localDateTime) {
      return QueryParameterValue.dateTime(DATETIME.format(localDateTime));
    }
    if (value instanceof Boolean b) {
      return QueryParameterValue.bool(b);
    }
    if (value instanceof BigDecimal bigDecimal) {
      return QueryParameterValue.numeric(bigDecimal);
    }
    WriteArguments.requirePartitionValue(value);
    throw new IllegalStateException("partition value type without a binding: " + value);
  }

  /**
   * The partition value as the fence table's key: the ISO text of dates and instants, the decimal
   * text of numbers, {@code true}/{@code false}. Validated as {@link #of} validates it.
   */
  public static String keyText(Object value) {
    return WriteArguments.partitionKey(value);
  }
}
