package dev.pipelinereliability.bigquery.health;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableResult;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.QueryJobs;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.health.freshness.ArrivalUnavailableException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ArrivalSource} on a BigQuery table: when the data for a date arrived is the latest
 * value of a load-time column ({@code TIMESTAMP}, such as {@code processed_at}) among the rows
 * whose date column ({@code DATE}, such as {@code game_date}) equals the date, in one query that
 * reads two columns ({@link #sql()}; the module README shows it). The date is a bound parameter;
 * the table and column names are validated when the source is built, before anything is sent.
 *
 * <p>A failed query throws {@link ArrivalUnavailableException} with the client's exception as the
 * cause, so the freshness check reports {@code ERROR}, never "not arrived". Uses the caller's
 * {@link BigQuery} client and never closes it. Thread-safe.
 */
public final class BigQueryArrivalSource implements ArrivalSource {
  /** The name of the bound date parameter in {@link #sql()}. */
  public static final String DATE_PARAMETER = Sql.DATA_DATE_PARAM;

  private final BigQuery bigquery;
  private final TableRef table;
  private final String sql;
  private final OptionalLong maximumBytesBilled;

  private BigQueryArrivalSource(Builder builder, String dateColumn, String loadedAtColumn) {
    this.bigquery = builder.bigquery;
    this.table = builder.table;
    this.sql = Sql.latestArrival(builder.table, dateColumn, loadedAtColumn);
    this.maximumBytesBilled = builder.maximumBytesBilled;
  }

  /**
   * Returns a builder for the table {@code table} ({@code dataset.table} or {@code
   * project.dataset.table}).
   *
   * @param bigquery the caller's client; not closed
   * @param table the table id
   * @return the builder
   * @throws NullPointerException if {@code bigquery} is null
   * @throws IllegalArgumentException if the table id breaks BigQuery's naming rules; the message
   *     names it
   */
  public static Builder builder(BigQuery bigquery, String table) {
    return new Builder(requireNonNull(bigquery, "bigquery"), TableRef.parse(table));
  }

  /**
   * A source for {@code table} with no byte limit.
   *
   * @param bigquery the caller's client; not closed
   * @param table the table, {@code dataset.table} or {@code project.dataset.table}
   * @param dateColumn the {@code DATE} column that holds the data's date, such as {@code game_date}
   * @param loadedAtColumn the {@code TIMESTAMP} column that holds each row's load time, such as
   *     {@code processed_at}
   * @return the source
   * @throws NullPointerException if {@code bigquery} is null
   * @throws IllegalArgumentException if the table id or a column name breaks BigQuery's naming
   *     rules; the message names it
   */
  public static BigQueryArrivalSource create(
      BigQuery bigquery, String table, String dateColumn, String loadedAtColumn) {
    return builder(bigquery, table).dateColumn(dateColumn).loadedAtColumn(loadedAtColumn).build();
  }

  /**
   * Returns the query this source runs, with the date as the named parameter.
   *
   * @return the query this source runs, with the date as the named parameter
   */
  public String sql() {
    return sql;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ArrivalUnavailableException if the query failed or was interrupted (the interrupt flag
   *     is restored)
   */
  @Override
  public Optional<Instant> latestArrival(LocalDate date) {
    requireNonNull(date, "date");
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(sql)
            .setUseLegacySql(false)
            .addNamedParameter(DATE_PARAMETER, QueryParameterValue.date(date.toString()));
    maximumBytesBilled.ifPresent(config::setMaximumBytesBilled);
    TableResult result =
        QueryJobs.run(
            bigquery,
            config.build(),
            "reading the latest arrival in " + table + " for " + date,
            ArrivalUnavailableException::new);
    Iterator<FieldValueList> rows = result.getValues().iterator();
    if (!rows.hasNext()) {
      // An aggregate without GROUP BY always returns one row; none means something else answered.
      throw new ArrivalUnavailableException(
          "latest arrival query on " + table + " for " + date + " returned no row", null);
    }
    FieldValue value = rows.next().get(0);
    return value.isNull() ? Optional.empty() : Optional.of(value.getTimestampInstant());
  }

  @Override
  public String toString() {
    return "BigQueryArrivalSource[" + table + "]";
  }

  /** Configures a {@link BigQueryArrivalSource}. Not thread-safe. */
  public static final class Builder {
    private final BigQuery bigquery;
    private final TableRef table;
    private @Nullable String dateColumn;
    private @Nullable String loadedAtColumn;
    private OptionalLong maximumBytesBilled = OptionalLong.empty();

    private Builder(BigQuery bigquery, TableRef table) {
      this.bigquery = bigquery;
      this.table = table;
    }

    /**
     * Sets the {@code DATE} column that holds the data's date, such as {@code game_date}.
     *
     * @param column the column
     * @return this builder
     * @throws IllegalArgumentException if the name breaks BigQuery's column rules
     */
    public Builder dateColumn(String column) {
      this.dateColumn = Columns.validate(column);
      return this;
    }

    /**
     * Sets the {@code TIMESTAMP} column that holds each row's load time, such as {@code
     * processed_at}.
     *
     * @param column the column
     * @return this builder
     * @throws IllegalArgumentException if the name breaks BigQuery's column rules
     */
    public Builder loadedAtColumn(String column) {
      this.loadedAtColumn = Columns.validate(column);
      return this;
    }

    /**
     * Makes BigQuery refuse a query that would bill more than {@code bytes}.
     *
     * @param bytes the bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maximumBytesBilled(long bytes) {
      this.maximumBytesBilled = OptionalLong.of(QueryJobs.requirePositiveBytes(bytes));
      return this;
    }

    /**
     * Returns the source.
     *
     * @return the source
     * @throws IllegalStateException if the date or load-time column was not set
     */
    public BigQueryArrivalSource build() {
      if (dateColumn == null || loadedAtColumn == null) {
        throw new IllegalStateException(
            "dateColumn and loadedAtColumn must both be set for " + table);
      }
      return new BigQueryArrivalSource(this, dateColumn, loadedAtColumn);
    }
  }
}
