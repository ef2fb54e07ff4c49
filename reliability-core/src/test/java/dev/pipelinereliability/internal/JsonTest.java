package dev.pipelinereliability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void quoteAndBackslashAreEscaped() {
    assertThat(Json.quote("say \"hi\" \\o/")).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
  }

  @Test
  void commonControlCharactersUseTheirShortEscapes() {
    assertThat(Json.quote("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
  }

  @Test
  void everyOtherControlCharacterIsEscapedAsUnicode() {
    for (char c = 0; c < 0x20; c++) {
      String quoted = Json.quote(String.valueOf(c));
      assertThat(quoted.chars().skip(1).limit(quoted.length() - 2L))
          .as("escape of U+%04X", (int) c)
          .allMatch(ch -> ch >= 0x20);
    }
    assertThat(Json.quote("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscapedForJavaScript() {
    assertThat(Json.quote("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
  }

  @Test
  void unpairedSurrogatesAreEscapedButPairsAreKept() {
    String pair = new String(Character.toChars(0x1F600));
    assertThat(Json.quote(pair)).isEqualTo("\"" + pair + "\"");
    assertThat(Json.quote("x\ud83d")).isEqualTo("\"x\\ud83d\"");
    assertThat(Json.quote("\ude00y")).isEqualTo("\"\\ude00y\"");
  }

  @Test
  void nonAsciiTextPassesThrough() {
    assertThat(Json.quote("Müller – 東京")).isEqualTo("\"Müller – 東京\"");
  }

  @Test
  void objectKeepsInsertionOrderAndEscapesKeys() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("z\"", "1");
    map.put("a", "two\nlines");
    JsonWriter w = new JsonWriter().beginObject();
    map.forEach((k, v) -> w.name(k).value(v));
    assertThat(w.endObject().toJson()).isEqualTo("{\"z\\\"\":\"1\",\"a\":\"two\\nlines\"}");
  }
}
