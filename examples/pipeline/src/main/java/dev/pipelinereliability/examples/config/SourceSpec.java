package dev.pipelinereliability.examples.config;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.freshness.SourceFreshness;

/**
 * One upstream source of the pipeline file whose arrival the health check watches: the table it
 * lands in, the columns that say for which date and when a row was loaded, and its freshness rule.
 *
 * <p>Immutable and thread-safe.
 *
 * @param freshness when the source is due and how late is a warning or an error; its {@link
 *     SourceFreshness#source()} is the source's name
 * @param table the BigQuery table, {@code dataset.table} or {@code project.dataset.table}
 * @param dateColumn the {@code DATE} column naming the data's date
 * @param loadedAtColumn the {@code TIMESTAMP} column holding each row's load time
 */
public record SourceSpec(
    SourceFreshness freshness, String table, String dateColumn, String loadedAtColumn) {
  /**
   * Validates and creates the spec.
   *
   * @param freshness when the source is due and how late is a warning or an error
   * @param table the BigQuery table, {@code dataset.table} or {@code project.dataset.table}
   * @param dateColumn the {@code DATE} column naming the data's date
   * @param loadedAtColumn the {@code TIMESTAMP} column holding each row's load time
   * @throws IllegalArgumentException if the table id or a column name is not a valid BigQuery name
   */
  public SourceSpec {
    requireNonNull(freshness, "freshness");
    TableSpec.checkTableId(requireNonNull(table, "table"));
    TableSpec.checkColumn(requireNonNull(dateColumn, "dateColumn"));
    TableSpec.checkColumn(requireNonNull(loadedAtColumn, "loadedAtColumn"));
  }

  /**
   * Returns the source's name.
   *
   * @return the name used in check names, such as {@code nbac_gamebook_player_stats}
   */
  public String name() {
    return freshness.source();
  }
}
