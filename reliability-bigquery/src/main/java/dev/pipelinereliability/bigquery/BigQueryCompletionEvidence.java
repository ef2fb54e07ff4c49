package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableResult;
import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.LandedRows;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CompletionEvidence} from BigQuery: for each table, one query that counts rows per date
 * over the range, reading only the date column (which, as the partition column, also prunes the
 * scan to the range's partitions). The dates are bound parameters.
 *
 * <p>Uses the caller's {@link BigQuery} client and never closes it. Thread-safe.
 */
public final class BigQueryCompletionEvidence implements CompletionEvidence {
  private final BigQuery bigquery;
  private final String dateColumn;

  /**
   * Creates the evidence source.
   *
   * @param bigquery the caller's client; not closed
   * @param dateColumn the DATE column every table is partitioned by, for example {@code game_date}
   * @throws IllegalArgumentException if the client is null or the column name is invalid
   */
  public BigQueryCompletionEvidence(BigQuery bigquery, String dateColumn) {
    if (bigquery == null) {
      throw new IllegalArgumentException("bigquery client must not be null");
    }
    this.bigquery = bigquery;
    this.dateColumn = Columns.validate(dateColumn);
  }

  /** The statement sent for one table. */
  static String sql(TableRef table, String dateColumn) {
    String d = Columns.quote(dateColumn);
    return "SELECT "
        + d
        + " AS landed_date, COUNT(*) AS row_count\n"
        + "FROM "
        + table.sql()
        + "\n"
        + "WHERE "
        + d
        + " BETWEEN @from_date AND @to_date\n"
        + "GROUP BY landed_date";
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
    if (from == null || to == null || to.isBefore(from)) {
      throw new IllegalArgumentException("invalid date range " + from + " .. " + to);
    }
    Map<String, TableRef> refs = new LinkedHashMap<>();
    for (String t : tables) {
      refs.put(t, TableRef.parse(t));
    }
    Map<String, Map<LocalDate, Long>> counts = new TreeMap<>();
    for (Map.Entry<String, TableRef> e : refs.entrySet()) {
      QueryJobConfiguration config =
          QueryJobConfiguration.newBuilder(sql(e.getValue(), dateColumn))
              .setUseLegacySql(false)
              .addNamedParameter("from_date", QueryParameterValue.date(from.toString()))
              .addNamedParameter("to_date", QueryParameterValue.date(to.toString()))
              .build();
      TableResult result;
      try {
        result = bigquery.query(config);
      } catch (BigQueryException | JobException ex) {
        throw new BigQueryReadException(
            "counting landed rows of " + e.getKey() + " failed: " + ex.getMessage(), ex);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new BigQueryReadException(
            "counting landed rows of " + e.getKey() + " interrupted", ex);
      }
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
}
