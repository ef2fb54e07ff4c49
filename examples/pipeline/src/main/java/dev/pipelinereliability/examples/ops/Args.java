package dev.pipelinereliability.examples.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed arguments: positional words, {@code --flag} switches and {@code --option value} pairs.
 * Every lookup says exactly what was wrong when it fails. Not thread-safe.
 */
final class Args {
  private final List<String> words = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final Set<String> used = new HashSet<>();

  /**
   * Parses {@code args}; {@code valued} names the options that take a value.
   *
   * @throws UsageException if an option that takes a value has none
   */
  Args(String[] args, Set<String> valued) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        String name = a.substring(2);
        if (valued.contains(name)) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException("--" + name + " needs a value");
          }
          options.put(name, args[++i]);
        } else {
          flags.add(name);
        }
      } else {
        words.add(a);
      }
    }
  }

  /** The {@code index}th word, or a usage error naming {@code what}. */
  String word(int index, String what) {
    if (index >= words.size()) {
      throw new UsageException("missing " + what);
    }
    return words.get(index);
  }

  int wordCount() {
    return words.size();
  }

  boolean flag(String name) {
    used.add(name);
    return flags.contains(name);
  }

  String option(String name, String fallback) {
    used.add(name);
    return options.getOrDefault(name, fallback);
  }

  String requiredOption(String name) {
    used.add(name);
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  int intOption(String name, int fallback, int min, int max) {
    String value = option(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        "--"
            + name
            + " takes a whole number from "
            + min
            + " to "
            + max
            + ", but was '"
            + value
            + "'");
  }

  /** Fails on any option or flag the command did not ask for, naming it. */
  void rejectUnknown() {
    for (String name : flags) {
      if (!used.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
    for (String name : options.keySet()) {
      if (!used.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
  }
}
