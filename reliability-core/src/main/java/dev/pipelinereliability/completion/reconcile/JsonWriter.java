package dev.pipelinereliability.completion.reconcile;

import dev.pipelinereliability.internal.Json;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer, because the core module takes no JSON dependency. It writes
 * compact JSON: objects, arrays, strings, integers, booleans and null.
 *
 * <p>Strings are escaped by {@link Json}, per RFC 8259: quote, backslash and every character below
 * U+0020, plus U+2028 and U+2029 (so the output is safe inside JavaScript) and unpaired surrogates
 * (so the output always encodes to valid UTF-8). Misuse (a value where a name is due, unbalanced
 * ends) throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe; one writer per document.
 */
final class JsonWriter {
  private enum Scope {
    OBJECT_NAME,
    OBJECT_VALUE,
    ARRAY
  }

  private final StringBuilder out = new StringBuilder();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private final Deque<Boolean> first = new ArrayDeque<>();
  private boolean done;

  JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    scopes.push(Scope.OBJECT_NAME);
    first.push(true);
    return this;
  }

  JsonWriter endObject() {
    if (scopes.peek() != Scope.OBJECT_NAME) {
      throw new IllegalStateException("endObject outside an object or after a dangling name");
    }
    scopes.pop();
    first.pop();
    out.append('}');
    afterValue();
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    scopes.push(Scope.ARRAY);
    first.push(true);
    return this;
  }

  JsonWriter endArray() {
    if (scopes.peek() != Scope.ARRAY) {
      throw new IllegalStateException("endArray outside an array");
    }
    scopes.pop();
    first.pop();
    out.append(']');
    afterValue();
    return this;
  }

  JsonWriter name(String name) {
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

  JsonWriter value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    quote(value);
    afterValue();
    return this;
  }

  JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    afterValue();
    return this;
  }

  JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    afterValue();
    return this;
  }

  JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    afterValue();
    return this;
  }

  /** Returns the document; it must be complete. */
  String toJson() {
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
