package dev.pipelinereliability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
  private static String string(String value) {
    return new JsonWriter().value(value).toJson();
  }

  @Test
  void quoteAndBackslashAreEscaped() {
    assertThat(string("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }

  @Test
  void controlCharactersAreEscapedWithShortFormsWhereTheyExist() {
    assertThat(string("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(string("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscapedForJavaScript() {
    assertThat(string("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
  }

  @Test
  void unpairedSurrogatesAreEscapedAndPairsAreKept() {
    assertThat(string("x\ud800")).isEqualTo("\"x\\ud800\"");
    assertThat(string("\udc00y")).isEqualTo("\"\\udc00y\"");
    assertThat(string("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
  }

  @Test
  void nonAsciiTextIsWrittenAsIs() {
    assertThat(string("Jokić ✅")).isEqualTo("\"Jokić ✅\"");
  }

  @Test
  void nestedObjectsAndArraysGetCommasOnlyBetweenMembers() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("a")
            .value(1)
            .name("b")
            .beginArray()
            .value("x")
            .nullValue()
            .value(true)
            .beginObject()
            .endObject()
            .endArray()
            .name("c")
            .beginArray()
            .endArray()
            .endObject()
            .toJson();

    assertThat(json).isEqualTo("{\"a\":1,\"b\":[\"x\",null,true,{}],\"c\":[]}");
  }

  @Test
  void namesAreEscapedLikeValues() {
    assertThat(new JsonWriter().beginObject().name("k\"").value("v").endObject().toJson())
        .isEqualTo("{\"k\\\"\":\"v\"}");
  }

  @Test
  void misuseFailsInsteadOfWritingInvalidJson() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value("no name"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().toJson())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().value(1).value(2))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void numbersAreWrittenAsTheirJavaTextAndNonFiniteOnesAreRefused() {
    String json =
        new JsonWriter()
            .beginArray()
            .value(Integer.valueOf(7))
            .value(Long.MAX_VALUE)
            .value(Float.valueOf(1.1f))
            .value(Double.valueOf(2.5))
            .value(new java.math.BigDecimal("1.50"))
            .value(java.math.BigInteger.TEN)
            .value((Number) null)
            .endArray()
            .toJson();
    assertThat(json).isEqualTo("[7,9223372036854775807,1.1,2.5,1.50,10,null]");
    assertThatThrownBy(() -> new JsonWriter().value(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new JsonWriter().value(Float.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Infinity");
    assertThatThrownBy(() -> new JsonWriter().value(new java.util.concurrent.atomic.AtomicLong(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AtomicLong");
  }

  @Test
  void endLineWritesOneDocumentPerLine() {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("a").value(1).endObject().endLine();
    w.beginObject().name("b").beginArray().value("x").endArray().endObject().endLine();
    assertThat(w.toJson()).isEqualTo("{\"a\":1}\n{\"b\":[\"x\"]}\n");
    assertThatThrownBy(() -> new JsonWriter().beginObject().endLine())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().endLine()).isInstanceOf(IllegalStateException.class);
  }
}
