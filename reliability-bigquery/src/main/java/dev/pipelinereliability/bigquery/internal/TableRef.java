package dev.pipelinereliability.bigquery.internal;

import com.google.cloud.bigquery.TableId;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A validated BigQuery table name that is safe to put in SQL text: every part is checked against
 * BigQuery's naming rules (restricted to the characters this library accepts) and backtick-quoted
 * when rendered, so a hostile name is rejected before any request is sent.
 *
 * <p>Accepted: project ids of lowercase letters, digits, hyphens, dots and one colon (domain-scoped
 * projects), 6 to 63 characters before any domain prefix; dataset names of letters, digits and
 * underscores, at most 1024 characters; table names of letters, digits, underscores and hyphens, at
 * most 1024 characters. No backticks, quotes, spaces, semicolons or control characters ever.
 *
 * <p>Immutable and thread-safe.
 *
 * @param project the project id, or null for the client's default project
 * @param dataset the dataset name
 * @param table the table name
 */
public record TableRef(@Nullable String project, String dataset, String table) {

  private static final Pattern PROJECT =
      Pattern.compile("(?:[a-z0-9][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,61}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}");

  /**
   * Validates every part.
   *
   * @param project the project
   * @param dataset the dataset
   * @param table the table
   * @throws IllegalArgumentException naming the bad part if any part breaks the rules
   */
  public TableRef {
    if (project != null && !PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException(
          "project must be a BigQuery project id, but was " + quoteForMessage(project));
    }
    if (dataset == null || !DATASET.matcher(dataset).matches()) {
      throw new IllegalArgumentException(
          "dataset must be a BigQuery dataset name ([A-Za-z0-9_]{1,1024}), but was "
              + quoteForMessage(dataset));
    }
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table must be a BigQuery table name ([A-Za-z0-9_][A-Za-z0-9_-]*), but was "
              + quoteForMessage(table));
    }
  }

  /**
   * Parses {@code dataset.table} or {@code project.dataset.table}.
   *
   * @param id the table id
   * @return the validated reference
   * @throws IllegalArgumentException if {@code id} is null or blank ({@code table is blank: '...'},
   *     as {@code DuplicateCheck} says it) or does not have two or three valid parts
   */
  public static TableRef parse(String id) {
    if (id == null || id.isBlank()) {
      // Worded as core's DuplicateCheck words it, so a blank table reads the same from the writer
      // and from the validator.
      throw new IllegalArgumentException("table is blank: '" + id + "'");
    }
    // A project id may itself contain dots (domain-scoped), so split from the right.
    int last = id.lastIndexOf('.');
    if (last < 0) {
      throw new IllegalArgumentException(
          "table id must be dataset.table or project.dataset.table, but was "
              + quoteForMessage(id));
    }
    String table = id.substring(last + 1);
    String rest = id.substring(0, last);
    int mid = rest.lastIndexOf('.');
    if (mid < 0) {
      return new TableRef(null, rest, table);
    }
    return new TableRef(rest.substring(0, mid), rest.substring(mid + 1), table);
  }

  /**
   * The table rendered for SQL: each part backtick-quoted, for example {@code `p`.`d`.`t`}.
   *
   * @return the table rendered for SQL: each part backtick-quoted, for example {@code `p`.`d`.`t`}
   */
  public String sql() {
    String quoted = "`" + dataset + "`.`" + table + "`";
    return project == null ? quoted : "`" + project + "`." + quoted;
  }

  /**
   * The client's table id.
   *
   * @return the client's table id
   */
  public TableId toTableId() {
    return project == null ? TableId.of(dataset, table) : TableId.of(project, dataset, table);
  }

  /**
   * A table in the same project and dataset.
   *
   * @param name the other table's name
   * @return the reference
   * @throws IllegalArgumentException if {@code name} is invalid
   */
  public TableRef sibling(String name) {
    return new TableRef(project, dataset, name);
  }

  @Override
  public String toString() {
    return (project == null ? "" : project + ".") + dataset + "." + table;
  }

  public static String quoteForMessage(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
  }
}
