package dev.pipelinereliability.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The library's one JSON writer, because the core module takes no JSON dependency: compact JSON
 * (objects, arrays, strings, numbers, booleans, null), one document, or with {@link #endLine()} one
 * document per line (newline-delimited JSON). Internal: not part of the API and may change without
 * notice.
 *
 * <p>Strings are escaped by {@link Json}, per RFC 8259. Misuse (a value where a name is due,
 * unbalanced ends, a non-finite number) throws before anything invalid is written.
 *
 * <p>Not thread-safe; one writer per document or stream of lines.
 */
public final class JsonWriter {
  private enum Scope {
    OBJECT_NAME,
    OBJECT_VALUE,
    ARRAY
  }

  private final StringBuilder out = new StringBuilder();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private final Deque<Boolean> first = new ArrayDeque<>();
  private boolean done;
  private boolean lines;

  /** Creates a writer of an empty document. */
  public JsonWriter() {}

  /**
   * Opens an object.
   *
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    scopes.push(Scope.OBJECT_NAME);
    first.push(true);
    return this;
  }

  /**
   * Closes the innermost object.
   *
   * @return this writer
   * @throws IllegalStateException if the innermost scope is not an object, or a name waits for its
   *     value
   */
  public JsonWriter endObject() {
    if (scopes.peek() != Scope.OBJECT_NAME) {
      throw new IllegalStateException("endObject outside an object or after a dangling name");
    }
    scopes.pop();
    first.pop();
    out.append('}');
    afterValue();
    return this;
  }

  /**
   * Opens an array.
   *
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    scopes.push(Scope.ARRAY);
    first.push(true);
    return this;
  }

  /**
   * Closes the innermost array.
   *
   * @return this writer
   * @throws IllegalStateException if the innermost scope is not an array
   */
  public JsonWriter endArray() {
    if (scopes.peek() != Scope.ARRAY) {
      throw new IllegalStateException("endArray outside an array");
    }
    scopes.pop();
    first.pop();
    out.append(']');
    afterValue();
    return this;
  }

  /**
   * Writes the name of the next member of the innermost object.
   *
   * @param name the member name, escaped as a string
   * @return this writer
   * @throws IllegalStateException if not inside an object, or right after another name
   */
  public JsonWriter name(String name) {
    if (scopes.peek() != Scope.OBJECT_NAME) {
      throw new IllegalStateException("name '" + name + "' outside an object or twice in a row");
    }
    comma();
    quote(name);
    out.append(':');
    scopes.pop();
    scopes.push(Scope.OBJECT_VALUE);
    return this;
  }

  /**
   * Writes a string, or null.
   *
   * @param value the string, or null for a JSON null
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter value(@Nullable String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    quote(value);
    afterValue();
    return this;
  }

  /**
   * Writes an integer.
   *
   * @param value the integer
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    afterValue();
    return this;
  }

  /**
   * Writes {@code true} or {@code false}.
   *
   * @param value the boolean
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    afterValue();
    return this;
  }

  /**
   * Writes {@code null}.
   *
   * @return this writer
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    afterValue();
    return this;
  }

  /**
   * Writes a number as its {@code toString()}: {@code Byte}, {@code Short}, {@code Integer}, {@code
   * Long}, {@code Float}, {@code Double}, {@code BigInteger} or {@code BigDecimal}; null writes
   * null.
   *
   * @param value the number, finite
   * @return this writer
   * @throws IllegalArgumentException if it is NaN or infinite (JSON has no literal for them), or of
   *     another type; the message names it
   * @throws IllegalStateException if a value is not allowed here
   */
  public JsonWriter value(@Nullable Number value) {
    if (value == null) {
      return nullValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = value.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no literal for the number " + value);
      }
    } else if (!(value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger
        || value instanceof BigDecimal)) {
      throw new IllegalArgumentException(
          "not a JSON number type: " + value.getClass().getName() + " " + value);
    }
    beforeValue();
    out.append(value);
    afterValue();
    return this;
  }

  /**
   * Ends the current line: the document written so far must be complete; a newline follows it and
   * the next document may start.
   *
   * @return this writer
   * @throws IllegalStateException if the document is incomplete
   */
  public JsonWriter endLine() {
    if (!done || !scopes.isEmpty()) {
      throw new IllegalStateException("JSON document is incomplete: " + out);
    }
    out.append('\n');
    done = false;
    lines = true;
    return this;
  }

  /**
   * Returns what was written: the document, or the lines, each ended by a newline.
   *
   * @return the JSON text
   * @throws IllegalStateException if the last document is incomplete
   */
  public String toJson() {
    if (lines && !done && scopes.isEmpty() && out.charAt(out.length() - 1) == '\n') {
      return out.toString();
    }
    if (!done || !scopes.isEmpty()) {
      throw new IllegalStateException("JSON document is incomplete: " + out);
    }
    return out.toString();
  }

  private void beforeValue() {
    if (done) {
      throw new IllegalStateException("JSON document already complete");
    }
    Scope scope = scopes.peek();
    if (scope == Scope.OBJECT_NAME) {
      throw new IllegalStateException("a value inside an object needs a name first");
    }
    if (scope == Scope.ARRAY) {
      comma();
    }
  }

  private void afterValue() {
    Scope scope = scopes.peek();
    if (scope == null) {
      done = true;
    } else if (scope == Scope.OBJECT_VALUE) {
      scopes.pop();
      scopes.push(Scope.OBJECT_NAME);
    }
  }

  private void comma() {
    if (!first.pop()) {
      out.append(',');
    }
    first.push(false);
  }

  private void quote(String value) {
    Json.appendQuoted(out, value);
  }
}
