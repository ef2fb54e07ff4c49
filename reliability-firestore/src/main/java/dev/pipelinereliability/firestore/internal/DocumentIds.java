package dev.pipelinereliability.firestore.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;

/**
 * Turns any string into a valid, readable Firestore document id, so that distinct strings get
 * distinct ids: {@code <prefix>~<value>} with every byte outside {@code [A-Za-z0-9_:-]}
 * percent-encoded as UTF-8 (so {@code /}, {@code .}, {@code ..} and {@code __name__} are safe), or
 * {@code <prefix>~~sha256-<hex>} when that would exceed Firestore's 1,500-byte limit. Internal: not
 * part of the API. Stateless and thread-safe.
 */
public final class DocumentIds {
  /** Firestore's limit on a document id, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1_500;

  private DocumentIds() {}

  /**
   * Returns the id of {@code value} under {@code prefix}.
   *
   * @param prefix a fixed prefix made of {@code [A-Za-z0-9_-]} only, so it needs no escaping
   * @param value any string
   * @return the document id
   */
  public static String of(String prefix, String value) {
    requireNonNull(prefix, "prefix");
    requireNonNull(value, "value");
    StringBuilder id = new StringBuilder(prefix).append('~');
    for (byte b : value.getBytes(UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == ':') {
        id.append((char) c);
      } else {
        id.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        id.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    if (id.length() > MAX_BYTES) {
      // '~' is always escaped in the readable form, so "~~" cannot collide with it.
      return prefix + "~~sha256-" + Hashing.sha256().hashString(value, UTF_8);
    }
    return id.toString();
  }

  /**
   * Whether {@code id} is usable as a Firestore document or collection id: not empty, no {@code /},
   * not {@code .} or {@code ..}, not {@code __...__}, at most {@link #MAX_BYTES} UTF-8 bytes.
   *
   * @param id a candidate id; null is not valid
   * @return true if Firestore accepts it
   */
  public static boolean isValid(String id) {
    return id != null
        && !id.isEmpty()
        && !id.contains("/")
        && !id.equals(".")
        && !id.equals("..")
        && !(id.startsWith("__") && id.endsWith("__"))
        && id.getBytes(UTF_8).length <= MAX_BYTES;
  }

  /**
   * Returns {@code collection} if it is a valid top-level collection id ({@link #isValid}).
   *
   * @throws NullPointerException if {@code collection} is null
   * @throws IllegalArgumentException otherwise; the message names the value
   */
  public static String checkCollection(String collection) {
    requireNonNull(collection, "collection");
    if (!isValid(collection)) {
      throw new IllegalArgumentException(
          "collection must be a valid Firestore collection id, but was '" + collection + "'");
    }
    return collection;
  }
}
