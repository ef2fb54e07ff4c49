package dev.pipelinereliability.bigquery.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Column names that are safe in SQL text: letters, digits and underscores, starting with a letter
 * or underscore, at most 300 characters (BigQuery's classic rule; the flexible-name extension is
 * not accepted), and never one of the reserved prefixes {@code _TABLE_}, {@code _FILE_}, {@code
 * _PARTITION}. Rendered backtick-quoted.
 *
 * <p>Stateless and thread-safe.
 */
public final class Columns {
  private Columns() {}

  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,299}");

  /**
   * Validates a column name.
   *
   * @param name the column name
   * @return {@code name}
   * @throws IllegalArgumentException naming the value if it breaks the rule
   */
  public static String validate(String name) {
    if (name == null || !COLUMN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "column must be a BigQuery column name ([A-Za-z_][A-Za-z0-9_]*), but was "
              + TableRef.quoteForMessage(name));
    }
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    if (upper.startsWith("_TABLE_")
        || upper.startsWith("_FILE_")
        || upper.startsWith("_PARTITION")) {
      throw new IllegalArgumentException(
          "column must not start with a reserved BigQuery prefix (_TABLE_, _FILE_, _PARTITION),"
              + " but was '"
              + name
              + "'");
    }
    return name;
  }

  /**
   * Validates every name and checks that none repeats (case-insensitively, as BigQuery compares
   * column names).
   *
   * @param names the column names
   * @return an immutable copy
   * @throws IllegalArgumentException if the list is empty or a name is invalid or repeated
   */
  public static List<String> validateAll(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("at least one column is needed, got " + names);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String n : names) {
      validate(n);
      if (!seen.add(n.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("column '" + n + "' repeats in " + names);
      }
    }
    return List.copyOf(names);
  }

  /**
   * The validated name in backticks.
   *
   * @param name the column name
   * @return {@code `name`}
   * @throws IllegalArgumentException if the name is invalid
   */
  public static String quote(String name) {
    return "`" + validate(name) + "`";
  }
}
