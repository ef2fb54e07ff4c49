package dev.pipelinereliability.lock;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Names one lock: a lock type (what kind of work, such as {@code phase3}, {@code phase4} or {@code
 * grading}) and a key within that type (which unit of work, usually a game date).
 *
 * <p>Validated on construction, so a key that exists is a key every backend accepts:
 *
 * <ul>
 *   <li>{@code type}: 1 to {@value #MAX_TYPE_LENGTH} characters, a lowercase ASCII letter followed
 *       by lowercase letters, digits, {@code _} or {@code -};
 *   <li>{@code key}: 1 to {@value #MAX_KEY_LENGTH} characters, not blank, no ISO control
 *       characters. Other characters, including {@code /} and {@code .}, are allowed; backends
 *       encode them as their storage requires.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the lock type, for example {@code phase3}
 * @param key the key within the type, for example {@code 2024-11-20}
 */
public record LockKey(String type, String key) {
  /** Longest accepted lock type, in characters. */
  public static final int MAX_TYPE_LENGTH = 63;

  /** Longest accepted key, in characters. */
  public static final int MAX_KEY_LENGTH = 1024;

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*");

  /**
   * Validates and creates a key; prefer {@link #of(String, String)}.
   *
   * @param type the type
   * @param key the key
   * @throws NullPointerException if {@code type} or {@code key} is null
   * @throws IllegalArgumentException if either violates the rules above; the message names the
   *     rejected value
   */
  public LockKey {
    requireNonNull(type, "type");
    requireNonNull(key, "key");
    if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "lock type must be 1-"
              + MAX_TYPE_LENGTH
              + " characters of [a-z0-9_-] starting with a letter, but was '"
              + type
              + "'");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("lock key must not be blank, but was '" + key + "'");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "lock key must be at most "
              + MAX_KEY_LENGTH
              + " characters, but was "
              + key.length()
              + " characters: '"
              + key.substring(0, 40)
              + "...'");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "lock key must not contain control characters, but was '" + key.strip() + "'");
    }
  }

  /**
   * Returns the key for {@code type} and {@code key}.
   *
   * @param type the type
   * @param key the key
   * @return the key for {@code type} and {@code key}
   * @throws IllegalArgumentException if either is invalid (see the class documentation)
   */
  public static LockKey of(String type, String key) {
    return new LockKey(type, key);
  }

  /**
   * Returns the key for {@code type} and a date, written as ISO-8601 ({@code 2024-11-20}).
   *
   * @param type the type
   * @param date the date
   * @return the key for {@code type} and a date, written as ISO-8601 ({@code 2024-11-20})
   * @throws IllegalArgumentException if {@code type} is invalid
   */
  public static LockKey of(String type, LocalDate date) {
    return new LockKey(type, requireNonNull(date, "date").toString());
  }

  /** Returns {@code type/key}, the form used in log lines and exception messages. */
  @Override
  public String toString() {
    return type + "/" + key;
  }
}
