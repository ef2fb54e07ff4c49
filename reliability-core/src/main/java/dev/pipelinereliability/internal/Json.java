package dev.pipelinereliability.internal;

/**
 * Escapes JSON strings for {@link JsonWriter}, the library's one JSON writer, and for callers that
 * need only one string literal. Internal: not part of the API and may change without notice.
 *
 * <p>Escaping follows RFC 8259: quote and backslash, every character below U+0020, plus U+2028 and
 * U+2029 (so the output is safe inside JavaScript) and unpaired surrogates (so the output is always
 * valid UTF-8 once encoded). Stateless and thread-safe.
 */
public final class Json {
  private Json() {}

  /** Returns {@code value} as a JSON string literal, quotes included. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2);
    appendQuoted(out, value);
    return out.toString();
  }

  /** Appends {@code value} to {@code out} as a JSON string literal, quotes included. */
  public static void appendQuoted(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isUnpairedSurrogate(value, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isUnpairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
