package dev.pipelinereliability.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class NdjsonTest {

  private static String encode(Map<String, ?> row) {
    return new String(Ndjson.encode(List.of(row)), StandardCharsets.UTF_8);
  }

  private static Map<String, @Nullable Object> row(@Nullable Object... kv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void stringsAreJsonEscaped() {
    assertThat(encode(row("s", "a\"b\\c\nd\re\tf\u0001g\u2028h\u2029i")))
        .isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\\u2029i\"}\n");
    assertThat(encode(row("k\"", "plain é 😀"))).isEqualTo("{\"k\\\"\":\"plain é 😀\"}\n");
  }

  @Test
  void backspaceFormFeedAndLoneSurrogatesUseCoreEscapes() {
    // Core's Json: short escapes for \b and \f (the same JSON values as the old \\u-codes), and
    // a lone surrogate escaped rather than sent raw (which UTF-8 encoding turned into '?').
    assertThat(encode(row("s", "\b\f\ud800x"))).isEqualTo("{\"s\":\"\\b\\f\\ud800x\"}\n");
  }

  @Test
  void valuesKeepTheirTypes() {
    assertThat(
            encode(
                row(
                    "n",
                    null,
                    "b",
                    true,
                    "i",
                    7L,
                    "d",
                    1.5,
                    "nan",
                    Double.NaN,
                    "dec",
                    new BigDecimal("1E+3"),
                    "bytes",
                    new byte[] {1, 2},
                    "day",
                    LocalDate.of(2026, 11, 23),
                    "list",
                    Arrays.asList(1, null),
                    "rec",
                    row("x", "y"))))
        .isEqualTo(
            "{\"n\":null,\"b\":true,\"i\":7,\"d\":1.5,\"nan\":\"NaN\",\"dec\":\"1000\","
                + "\"bytes\":\"AQI=\",\"day\":\"2026-11-23\",\"list\":[1,null],\"rec\":{\"x\":\"y\"}}\n");
  }

  @Test
  void oneLinePerRow() {
    assertThat(new String(Ndjson.encode(List.of(row("a", 1), row("a", 2))), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1}\n{\"a\":2}\n");
  }
}
