package dev.pipelinereliability.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableResult;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.QueryJobs;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.LandedRows;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CompletionEvidence} from BigQuery: for each table, one query that counts rows per date
 * over the range, reading only the date column (the partition column, so the scan is pruned to the
 * range). Table and column names are validated before anything is sent; the dates are bound
 * parameters.
 *
 * <p>Uses the caller's {@link BigQuery} client and never closes it. Thread-safe.
 */
public final class BigQueryCompletionEvidence implements CompletionEvidence {
  private final BigQuery bigquery;
  private final String dateColumn;
  private final OptionalLong maximumBytesBilled;

  private BigQueryCompletionEvidence(Builder b) {
    this.bigquery = b.bigquery;
    this.dateColumn = b.dateColumn;
    this.maximumBytesBilled = b.maximumBytesBilled;
  }

  /**
   * An evidence source with no byte limit.
   *
   * @param bigquery the caller's client; not closed
   * @param dateColumn the DATE column every table is partitioned by, for example {@code game_date}
   * @return the evidence source
   * @throws NullPointerException if {@code bigquery} is null
   * @throws IllegalArgumentException if the column name breaks BigQuery's column rules
   */
  public static BigQueryCompletionEvidence create(BigQuery bigquery, String dateColumn) {
    return builder(bigquery, dateColumn).build();
  }

  /**
   * Starts a builder.
   *
   * @param bigquery the caller's client; not closed
   * @param dateColumn the DATE column every table is partitioned by, for example {@code game_date}
   * @return the builder
   * @throws NullPointerException if {@code bigquery} is null
   * @throws IllegalArgumentException if the column name breaks BigQuery's column rules
   */
  public static Builder builder(BigQuery bigquery, String dateColumn) {
    return new Builder(requireNonNull(bigquery, "bigquery"), Columns.validate(dateColumn));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a table name is not a valid {@code dataset.table} or {@code
   *     project.dataset.table}, or {@code to} is before {@code from}; nothing is sent
   * @throws BigQueryReadException if a query fails
   */
  @Override
  public LandedRows landedRows(Set<String> tables, LocalDate from, LocalDate to) {
    requireNonNull(tables, "tables");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("invalid date range " + from + " .. " + to);
    }
    Map<String, TableRef> refs = new LinkedHashMap<>();
    for (String t : tables) {
      refs.put(t, TableRef.parse(t));
    }
    Map<String, Map<LocalDate, Long>> counts = new TreeMap<>();
    for (Map.Entry<String, TableRef> e : refs.entrySet()) {
      QueryJobConfiguration.Builder config =
          QueryJobConfiguration.newBuilder(Sql.landedRows(e.getValue(), dateColumn))
              .setUseLegacySql(false)
              .addNamedParameter(Sql.FROM_DATE_PARAM, QueryParameterValue.date(from.toString()))
              .addNamedParameter(Sql.TO_DATE_PARAM, QueryParameterValue.date(to.toString()));
      maximumBytesBilled.ifPresent(config::setMaximumBytesBilled);
      TableResult result =
          QueryJobs.run(
              bigquery,
              config.build(),
              "counting landed rows of " + e.getKey(),
              BigQueryReadException::new);
      Map<LocalDate, Long> byDate = new TreeMap<>();
      for (FieldValueList row : result.iterateAll()) {
        if (!row.get("landed_date").isNull()) {
          byDate.put(
              LocalDate.parse(row.get("landed_date").getStringValue()),
              row.get("row_count").getLongValue());
        }
      }
      counts.put(e.getKey(), byDate);
    }
    return new LandedRows(counts);
  }

  /** Configures a {@link BigQueryCompletionEvidence}. Not thread-safe. */
  public static final class Builder {
    private final BigQuery bigquery;
    private final String dateColumn;
    private OptionalLong maximumBytesBilled = OptionalLong.empty();

    private Builder(BigQuery bigquery, String dateColumn) {
      this.bigquery = bigquery;
      this.dateColumn = dateColumn;
    }

    /**
     * Makes BigQuery fail any count that would bill more than {@code bytes}, instead of running it.
     *
     * @param bytes the limit, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumBytesBilled(long bytes) {
      this.maximumBytesBilled = OptionalLong.of(QueryJobs.requirePositiveBytes(bytes));
      return this;
    }

    /**
     * Builds the evidence source.
     *
     * @return the evidence source
     */
    public BigQueryCompletionEvidence build() {
      return new BigQueryCompletionEvidence(this);
    }
  }
}
