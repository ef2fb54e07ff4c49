package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The rule for processor names, shared by every type that takes one.
 *
 * <p>A processor name is 1 to {@value #MAX_LENGTH} characters: an ASCII letter followed by letters,
 * digits, {@code _} or {@code -}. Names never start with {@code _}, because stores keep their own
 * metadata in fields that do (the legacy orchestrator's {@code _completed_count}, {@code
 * _triggered}), and a processor named like one would corrupt it.
 */
public final class ProcessorNames {
  /** Longest accepted processor name, in characters. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  private ProcessorNames() {}

  /**
   * Returns {@code name} if it is a valid processor name.
   *
   * @param name the name to check
   * @return {@code name} if it is a valid processor name
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if it breaks the rule in the class documentation; the message
   *     names it
   */
  public static String check(String name) {
    requireNonNull(name, "processor");
    if (name.isEmpty() || name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "processor name must be 1-"
              + MAX_LENGTH
              + " characters of [A-Za-z0-9_-] starting with a letter, but was '"
              + name
              + "'");
    }
    return name;
  }
}
