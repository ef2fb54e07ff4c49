package dev.pipelinereliability.examples.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One warehouse table of the pipeline file: where it is, its business key, the column it is
 * partitioned by, and the column that orders versions of one key (for "keep latest").
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the name other entries of the file use for this table
 * @param id the BigQuery table, {@code dataset.table} (in the file's project) or {@code
 *     project.dataset.table}
 * @param key the business key columns, in order; unique per partition
 * @param partitionColumn the {@code DATE} column the table is partitioned by
 * @param versionColumn the column whose largest value marks the latest row of a key, if any
 */
public record TableSpec(
    String name,
    String id,
    List<String> key,
    String partitionColumn,
    Optional<String> versionColumn) {
  private static final Pattern ID =
      Pattern.compile(
          "([a-z][a-z0-9-]{4,28}[a-z0-9]\\.)?[A-Za-z0-9_]{1,1024}\\.[A-Za-z0-9_-]{1,1024}");
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,299}");

  /**
   * Validates and creates the spec.
   *
   * @param name the name other entries of the file use for this table
   * @param id the BigQuery table, {@code dataset.table} or {@code project.dataset.table}
   * @param key the business key columns, in order
   * @param partitionColumn the {@code DATE} column the table is partitioned by
   * @param versionColumn the column whose largest value marks the latest row of a key, if any
   * @throws IllegalArgumentException if the id or a column name is not a valid BigQuery name, or
   *     the key is empty or repeats a column; the message names the value
   */
  public TableSpec {
    requireNonNull(name, "name");
    requireNonNull(id, "id");
    key = List.copyOf(key);
    requireNonNull(partitionColumn, "partitionColumn");
    requireNonNull(versionColumn, "versionColumn");
    checkTableId(id);
    if (key.isEmpty() || key.stream().distinct().count() != key.size()) {
      throw new IllegalArgumentException(
          "key of " + name + " must list one or more distinct columns, but was " + key);
    }
    key.forEach(TableSpec::checkColumn);
    checkColumn(partitionColumn);
    versionColumn.ifPresent(TableSpec::checkColumn);
  }

  static String checkTableId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "table id must be dataset.table or project.dataset.table, but was '" + id + "'");
    }
    return id;
  }

  static String checkColumn(String column) {
    if (!COLUMN.matcher(column).matches()) {
      throw new IllegalArgumentException(
          "column must be a BigQuery column name ([A-Za-z_][A-Za-z0-9_]*), but was '"
              + column
              + "'");
    }
    return column;
  }

  /**
   * Returns the fully qualified table id.
   *
   * @param project the project used when {@link #id()} names none
   * @return {@code project.dataset.table}
   */
  public String qualifiedId(String project) {
    return id.chars().filter(c -> c == '.').count() == 2 ? id : project + "." + id;
  }
}
