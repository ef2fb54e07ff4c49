package dev.pipelinereliability.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableResult;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.QueryJobs;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.telemetry.ValidationMetrics;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.validation.ValidationException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@link DuplicateValidator} on BigQuery: one parameterised query that reads only the key columns
 * (and the partition column, which prunes the scan to one partition), groups by the key and returns
 * one row with the counts and samples. Its cost is the bytes of the key columns in the checked
 * partition; {@link #estimateBytes} asks BigQuery for that figure without running the query, and
 * {@link Builder#maximumBytesBilled(long)} makes BigQuery refuse a query that would cost more.
 *
 * <p>The table id and every column are validated against BigQuery's naming rules and quoted before
 * anything is sent; the partition value is a bound parameter.
 *
 * <p>Uses the caller's {@link BigQuery} client and never closes it. Thread-safe.
 */
public final class BigQueryDuplicateValidator implements DuplicateValidator {

  private final BigQuery bigquery;
  private final OptionalLong maximumBytesBilled;
  private final ValidationMetrics metrics;

  private BigQueryDuplicateValidator(Builder b) {
    this.bigquery = b.bigquery;
    this.maximumBytesBilled = b.maximumBytesBilled;
    this.metrics =
        (b.openTelemetry == null
                ? ReliabilityTelemetry.global()
                : ReliabilityTelemetry.of(b.openTelemetry))
            .validation();
  }

  /**
   * A validator with no byte limit.
   *
   * @param bigquery the caller's client; not closed
   * @return the validator
   * @throws NullPointerException if {@code bigquery} is null
   */
  public static BigQueryDuplicateValidator create(BigQuery bigquery) {
    return builder(bigquery).build();
  }

  /**
   * Starts a builder.
   *
   * @param bigquery the caller's client; not closed
   * @return the builder
   * @throws NullPointerException if {@code bigquery} is null
   */
  public static Builder builder(BigQuery bigquery) {
    return new Builder(requireNonNull(bigquery, "bigquery"));
  }

  /**
   * The SQL text {@link #validate} sends for {@code check}, for logging and review.
   *
   * @param check the check
   * @return the SQL text; values appear only as {@code @partition_value}
   * @throws IllegalArgumentException if an identifier is invalid
   */
  public static String sql(DuplicateCheck check) {
    TableRef table = TableRef.parse(check.table());
    List<String> keys = Columns.validateAll(check.keyColumns());
    check.partition().ifPresent(p -> Columns.validate(p.column()));
    return Sql.duplicateCheck(table, keys, check.partition(), check.sampleLimit());
  }

  private QueryJobConfiguration config(DuplicateCheck check, boolean dryRun) {
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(sql(check)).setUseLegacySql(false).setDryRun(dryRun);
    check
        .partition()
        .ifPresent(p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
    maximumBytesBilled.ifPresent(config::setMaximumBytesBilled);
    return config.build();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the table id, a column or the partition value is not
   *     acceptable; nothing is sent
   * @throws ValidationException if BigQuery fails the query (missing table, bytes limit, ...)
   */
  @Override
  public DuplicateReport validate(DuplicateCheck check) {
    QueryJobConfiguration config = config(check, false);
    TableResult result =
        QueryJobs.run(
            bigquery, config, "duplicate check of " + check.table(), ValidationException::new);
    DuplicateReport report = parse(check, result);
    metrics.validated(check.table(), report.duplicateKeys(), report.excessRows());
    return report;
  }

  /**
   * Asks BigQuery (a dry run, free) how many bytes {@link #validate} would process for {@code
   * check}: the size of the key and partition columns in the partitions the filter selects.
   *
   * @param check the check
   * @return estimated bytes processed
   * @throws IllegalArgumentException as {@link #validate}
   * @throws ValidationException if BigQuery rejects the dry run
   */
  public long estimateBytes(DuplicateCheck check) {
    try {
      Job job = bigquery.create(JobInfo.of(config(check, true)));
      JobStatistics.QueryStatistics stats = job.getStatistics();
      Long bytes = stats == null ? null : stats.getTotalBytesProcessed();
      if (bytes == null) {
        throw new ValidationException("dry run of " + check.table() + " returned no byte estimate");
      }
      return bytes;
    } catch (BigQueryException e) {
      throw new ValidationException(
          "dry run of the duplicate check of " + check.table() + " failed: " + e.getMessage(), e);
    }
  }

  private static DuplicateReport parse(DuplicateCheck check, TableResult result) {
    Iterator<FieldValueList> rows = result.getValues().iterator();
    if (!rows.hasNext()) {
      throw new ValidationException("duplicate check of " + check.table() + " returned no row");
    }
    FieldValueList row = rows.next();
    long total = row.get("total_rows").getLongValue();
    long duplicateKeys = row.get("duplicate_keys").getLongValue();
    long excess = row.get("excess_rows").getLongValue();
    List<DuplicateSample> samples = new ArrayList<>();
    if (check.sampleLimit() > 0) {
      FieldValue samplesValue = row.get("samples");
      Field samplesField = result.getSchema().getFields().get("samples");
      if (!samplesValue.isNull()) {
        FieldList sampleFields = samplesField.getSubFields();
        FieldList keyFields = sampleFields.get("sample_key").getSubFields();
        for (FieldValue element : samplesValue.getRepeatedValue()) {
          FieldValueList sample = FieldValueList.of(element.getRecordValue(), sampleFields);
          FieldValueList key =
              FieldValueList.of(sample.get("sample_key").getRecordValue(), keyFields);
          List<Object> values = new ArrayList<>(keyFields.size());
          for (int i = 0; i < keyFields.size(); i++) {
            values.add(toJava(key.get(i), keyFields.get(i)));
          }
          samples.add(new DuplicateSample(values, sample.get("row_count").getLongValue()));
          if (samples.size() == check.sampleLimit()) {
            break;
          }
        }
      }
    }
    return new DuplicateReport(check, total, duplicateKeys, excess, samples);
  }

  /** Key values come back typed by their column: INT64 as Long, FLOAT64 as Double, and so on. */
  static @Nullable Object toJava(@Nullable FieldValue v, Field field) {
    if (v == null || v.isNull()) {
      return null;
    }
    LegacySQLTypeName type = field.getType();
    if (LegacySQLTypeName.INTEGER.equals(type)) {
      return v.getLongValue();
    }
    if (LegacySQLTypeName.FLOAT.equals(type)) {
      return v.getDoubleValue();
    }
    if (LegacySQLTypeName.NUMERIC.equals(type) || LegacySQLTypeName.BIGNUMERIC.equals(type)) {
      return v.getNumericValue();
    }
    if (LegacySQLTypeName.BOOLEAN.equals(type)) {
      return v.getBooleanValue();
    }
    if (LegacySQLTypeName.DATE.equals(type)) {
      return LocalDate.parse(v.getStringValue());
    }
    if (LegacySQLTypeName.TIMESTAMP.equals(type)) {
      return Instant.ofEpochSecond(0, 0).plusNanos(v.getTimestampValue() * 1_000L);
    }
    if (LegacySQLTypeName.BYTES.equals(type)) {
      return v.getBytesValue();
    }
    return v.getStringValue();
  }

  /** Configures a {@link BigQueryDuplicateValidator}. Not thread-safe. */
  public static final class Builder {
    private final BigQuery bigquery;
    private OptionalLong maximumBytesBilled = OptionalLong.empty();
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(BigQuery bigquery) {
      this.bigquery = bigquery;
    }

    /**
     * Makes BigQuery fail any check that would bill more than {@code bytes}, instead of running it.
     *
     * @param bytes the limit, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumBytesBilled(long bytes) {
      maximumBytesBilled = OptionalLong.of(QueryJobs.requirePositiveBytes(bytes));
      return this;
    }

    /**
     * Sets where the validator reports its metrics (validations run, duplicate keys and excess rows
     * found, by table; see the root README's Telemetry section). Default: {@link
     * GlobalOpenTelemetry#get()}, read once by {@link #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Builds the validator.
     *
     * @return the validator
     */
    public BigQueryDuplicateValidator build() {
      return new BigQueryDuplicateValidator(this);
    }
  }
}
