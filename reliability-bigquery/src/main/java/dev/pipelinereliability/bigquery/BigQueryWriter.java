package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.CopyJobConfiguration;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BigQuery writes that cannot leave duplicates, on the caller's {@link BigQuery} client (never
 * closed):
 *
 * <ul>
 *   <li>{@link #replacePartition}: rows are loaded into a staging table, then ONE {@code MERGE ...
 *       ON FALSE} deletes the partition's old rows and inserts the new ones atomically; the staging
 *       table is deleted afterwards (and expires on its own if this process dies first). Never
 *       DELETE then INSERT as two jobs.
 *   <li>{@link #replacePartitionByLoad}: one WRITE_TRUNCATE load job into {@code table$YYYYMMDD},
 *       for tables partitioned by day.
 *   <li>{@link #upsert}: dedup the rows by key first (a MERGE fails when a target row matches two
 *       source rows), stage them, then one MERGE by key.
 *   <li>{@link #planCleanup} / {@link #cleanup}: for a partition that already holds duplicates,
 *       report what would be removed, optionally back the table up, then one atomic MERGE that
 *       keeps one row per key.
 * </ul>
 *
 * <p>The committing statement of each write runs after the caller's {@link PreCommitCheck} (pass
 * {@code lockHandle::checkValid}) and is retried under the {@link RetryPolicy} when BigQuery
 * reports a concurrent update; the check runs again before every retry. Every other error surfaces
 * at once as {@link BigQueryWriteException}.
 *
 * <p>Identifiers are validated and quoted before any request ({@link TableRef}, {@link Columns});
 * values reach BigQuery only as load data or bound parameters.
 *
 * <p>Thread-safe: concurrent writes use separate staging tables.
 */
public final class BigQueryWriter {
  private static final Logger log = LoggerFactory.getLogger(BigQueryWriter.class);
  private static final DateTimeFormatter BACKUP_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final BigQuery bigquery;
  private final Retrier retrier;
  private final Clock clock;
  private final RandomGenerator random;
  private final Duration stagingExpiration;
  private final BigQueryDuplicateValidator validator;

  private BigQueryWriter(Builder b) {
    this.bigquery = b.bigquery;
    this.clock = b.clock;
    this.random = b.random;
    this.retrier = new Retrier(b.retryPolicy, b.sleeper, b.random);
    this.stagingExpiration = b.stagingExpiration;
    this.validator = BigQueryDuplicateValidator.create(b.bigquery);
  }

  /**
   * A writer with default retry, real sleeps and the system clock.
   *
   * @param bigquery the caller's client; not closed
   * @return the writer
   * @throws IllegalArgumentException if {@code bigquery} is null
   */
  public static BigQueryWriter create(BigQuery bigquery) {
    return builder(bigquery).build();
  }

  /**
   * Starts a builder.
   *
   * @param bigquery the caller's client; not closed
   * @return the builder
   * @throws IllegalArgumentException if {@code bigquery} is null
   */
  public static Builder builder(BigQuery bigquery) {
    if (bigquery == null) {
      throw new IllegalArgumentException("bigquery client must not be null");
    }
    return new Builder(bigquery);
  }

  /**
   * Replaces every row of one partition with {@code rows}, atomically: readers and other writers
   * see the old partition or the new one, never a mix, and never both.
   *
   * @param table the table id, {@code dataset.table} or {@code project.dataset.table}
   * @param partition the partition column and value, for example {@code game_date = 2026-11-23}
   * @param rows the new rows (dedup them first); each must carry the partition value
   * @param check runs right before each attempt of the MERGE, for example {@code lock::checkValid}
   * @return rows written and attempts
   * @throws IllegalArgumentException if an identifier is invalid or a row lies outside the
   *     partition (the message names the row); nothing is sent
   * @throws ConcurrentUpdateException if every attempt met a concurrent update
   * @throws BigQueryWriteException if BigQuery fails otherwise; the partition is unchanged
   */
  public WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      PreCommitCheck check) {
    TableRef target = TableRef.parse(table);
    Columns.validate(partition.column());
    Parameters.of(partition.value());
    requireInPartition(rows, partition);
    Schema schema = schemaOf(target);
    return withStaging(
        target,
        schema,
        rows,
        stagingRef -> {
          QueryJobConfiguration config =
              QueryJobConfiguration.newBuilder(Sql.replacePartition(target, stagingRef, partition))
                  .setUseLegacySql(false)
                  .addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(partition.value()))
                  .build();
          int attempts = commit("replace " + target + " " + describe(partition), check, config);
          return new WriteResult(rows.size(), 0, attempts);
        });
  }

  /**
   * Replaces one day of a day-partitioned table with one WRITE_TRUNCATE load job into the partition
   * decorator {@code table$YYYYMMDD}; atomic like {@link #replacePartition} and cheaper (no MERGE),
   * but only for tables partitioned by DATE (or by day of a TIMESTAMP) on the partition column.
   *
   * @param table the table id
   * @param day the partition to replace
   * @param rows the new rows; each must belong to {@code day} (BigQuery rejects the load otherwise)
   * @param check runs right before each attempt of the load
   * @return rows written and attempts
   * @throws IllegalArgumentException if the table id is invalid
   * @throws ConcurrentUpdateException if every attempt met a concurrent update
   * @throws BigQueryWriteException if BigQuery fails otherwise; the partition is unchanged
   */
  public WriteResult replacePartitionByLoad(
      String table, LocalDate day, List<? extends Map<String, ?>> rows, PreCommitCheck check) {
    TableRef target = TableRef.parse(table);
    if (day == null) {
      throw new IllegalArgumentException("day must not be null");
    }
    byte[] data = Ndjson.encode(rows);
    int[] attempts = {0};
    retrier.run(
        "truncating load of " + target + " partition " + day,
        check,
        () -> {
          attempts[0]++;
          load(target.partition(day), data, JobInfo.WriteDisposition.WRITE_TRUNCATE);
          return null;
        });
    return new WriteResult(rows.size(), 0, attempts[0]);
  }

  /**
   * Inserts or updates rows by key: dedups {@code rows} by {@code keyColumns} (keeping the latest
   * by {@code versionColumn} when given, else the first), stages them, then one MERGE by key. With
   * a version column an incoming row never overwrites a target row with a greater version.
   *
   * @param table the table id
   * @param keyColumns the business key
   * @param versionColumn the column that says which row is newer, or empty
   * @param partition limits the MERGE to one partition (cheaper, and conflicts only with writers of
   *     that partition), or empty
   * @param rows the rows to upsert
   * @param check runs right before each attempt of the MERGE
   * @return rows written, duplicates removed and attempts
   * @throws IllegalArgumentException if an identifier is invalid, a row lacks a key field, or a row
   *     lies outside {@code partition}; nothing is sent
   * @throws ConcurrentUpdateException if every attempt met a concurrent update
   * @throws BigQueryWriteException if BigQuery fails otherwise; the table is unchanged
   */
  public WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<Map<String, Object>> rows,
      PreCommitCheck check) {
    TableRef target = TableRef.parse(table);
    List<String> keys = Columns.validateAll(keyColumns);
    versionColumn.ifPresent(Columns::validate);
    partition.ifPresent(
        p -> {
          Columns.validate(p.column());
          Parameters.of(p.value());
          requireInPartition(rows, p);
        });
    Deduplicator.Builder<Map<String, Object>> dedup = Deduplicator.forRows(keys);
    versionColumn.ifPresent(dedup::keepLatestBy);
    DedupResult<Map<String, Object>> deduped = dedup.build().apply(rows);
    Schema schema = schemaOf(target);
    List<String> columns =
        schema.getFields().stream().map(Field::getName).collect(Collectors.toList());
    return withStaging(
        target,
        schema,
        deduped.rows(),
        stagingRef -> {
          QueryJobConfiguration.Builder config =
              QueryJobConfiguration.newBuilder(
                      Sql.upsert(target, stagingRef, keys, columns, versionColumn, partition))
                  .setUseLegacySql(false);
          partition.ifPresent(
              p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
          int attempts = commit("upsert into " + target, check, config.build());
          return new WriteResult(deduped.rows().size(), deduped.removedCount(), attempts);
        });
  }

  /**
   * Reports what {@link #cleanup} would remove, changing nothing: a duplicate check of the table or
   * partition and the statement that would run.
   *
   * @param check the table, key columns, partition and sample limit
   * @param keep which row per key survives
   * @return the plan
   * @throws IllegalArgumentException if an identifier is invalid
   * @throws dev.pipelinereliability.validation.ValidationException if the check fails
   */
  public CleanupPlan planCleanup(DuplicateCheck check, Keep keep) {
    String sql = cleanupSql(check, keep);
    return new CleanupPlan(validator.validate(check), keep, sql);
  }

  /**
   * Removes duplicates found by {@code plan}: optionally backs the table up (a snapshot or copy
   * named {@code <table>_backup_<yyyyMMdd_HHmmss>}), then runs one MERGE that rewrites the
   * partition from itself keeping one row per key. Keys are grouped exactly as the duplicate check
   * groups them ({@code GROUP BY}: NULLs together, NaNs together, {@code 0.0} with {@code -0.0}),
   * for keys of any groupable type including FLOAT64. Does nothing if the plan found no duplicates.
   *
   * @param plan from {@link #planCleanup}
   * @param backup whether and how to back up first
   * @param check runs right before each attempt of the MERGE
   * @return rows removed (as planned) and attempts
   * @throws CleanupFailedException if anything fails after the backup was taken (the statement, its
   *     retries, or {@code check}): the message and {@link CleanupFailedException#backup()} name
   *     the backup, which is kept; the original failure is the cause; the table is unchanged
   * @throws ConcurrentUpdateException if every attempt met a concurrent update (no backup taken)
   * @throws BigQueryWriteException if the backup or the statement fails; the table is unchanged
   */
  public WriteResult cleanup(CleanupPlan plan, Backup backup, PreCommitCheck check) {
    DuplicateCheck dc = plan.report().check();
    TableRef target = TableRef.parse(dc.table());
    if (plan.report().isClean()) {
      return new WriteResult(0, 0, 0);
    }
    Optional<TableRef> backupTable =
        backup == Backup.NONE ? Optional.empty() : Optional.of(backup(target, backup));
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(cleanupSql(dc, plan.keep())).setUseLegacySql(false);
    dc.partition()
        .ifPresent(p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
    String what = "duplicate cleanup of " + target;
    int attempts;
    try {
      attempts = commit(what, check, config.build());
    } catch (RuntimeException e) {
      if (backupTable.isEmpty()) {
        throw e;
      }
      // The backup outlives the failure; a caller who is not told its name cannot find or drop it.
      throw new CleanupFailedException(
          what
              + " failed after backing it up to "
              + backupTable.get()
              + " (the backup is kept; "
              + target
              + " is unchanged): "
              + e.getMessage(),
          backupTable.get(),
          e);
    }
    return new WriteResult(0, (int) Math.min(Integer.MAX_VALUE, plan.rowsToRemove()), attempts);
  }

  /**
   * The SQL text {@link #cleanup} sends for {@code check} and {@code keep}.
   *
   * @param check the table, keys and partition
   * @param keep which row survives
   * @return the statement; the partition value appears only as {@code @partition_value}
   * @throws IllegalArgumentException if an identifier is invalid
   */
  public static String cleanupSql(DuplicateCheck check, Keep keep) {
    TableRef target = TableRef.parse(check.table());
    List<String> keys = Columns.validateAll(check.keyColumns());
    check.partition().ifPresent(p -> Columns.validate(p.column()));
    return Sql.cleanup(target, keys, check.partition(), keep.orderColumn(), keep.latest());
  }

  private TableRef backup(TableRef target, Backup backup) {
    TableRef copy =
        target.sibling(target.table() + "_backup_" + BACKUP_SUFFIX.format(clock.instant()));
    CopyJobConfiguration.Builder config =
        CopyJobConfiguration.newBuilder(copy.toTableId(), target.toTableId())
            .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
            .setWriteDisposition(JobInfo.WriteDisposition.WRITE_EMPTY);
    if (backup == Backup.SNAPSHOT) {
      config.setOperationType("SNAPSHOT");
    }
    String what = backup + " of " + target + " to " + copy;
    Job job;
    try {
      job = bigquery.create(JobInfo.of(config.build())).waitFor();
    } catch (BigQueryException e) {
      throw new BigQueryWriteException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryWriteException(what + " interrupted", e);
    }
    try {
      failIfJobFailed(job, what);
    } catch (BigQueryException e) {
      // The message already reads "<what> failed: <BigQuery's error>"; do not say it twice.
      throw new BigQueryWriteException(e.getMessage(), e);
    }
    log.info("Backed up {} to {} ({})", target, copy, backup);
    return copy;
  }

  private interface StagedWrite {
    WriteResult commit(TableRef staging);
  }

  private WriteResult withStaging(
      TableRef target, Schema schema, List<? extends Map<String, ?>> rows, StagedWrite write) {
    TableRef stagingRef = staging(target);
    TableId stagingId = stagingRef.toTableId();
    try {
      bigquery.create(
          TableInfo.newBuilder(stagingId, StandardTableDefinition.of(schema))
              .setExpirationTime(clock.millis() + stagingExpiration.toMillis())
              .build());
    } catch (BigQueryException e) {
      throw new BigQueryWriteException(
          "creating staging table " + stagingRef + " failed: " + e.getMessage(), e);
    }
    try {
      if (!rows.isEmpty()) {
        try {
          load(stagingId, Ndjson.encode(rows), JobInfo.WriteDisposition.WRITE_APPEND);
        } catch (BigQueryException | JobException e) {
          throw new BigQueryWriteException(
              "loading " + rows.size() + " rows into " + stagingRef + " failed: " + e.getMessage(),
              e);
        }
      }
      return write.commit(stagingRef);
    } finally {
      try {
        bigquery.delete(stagingId);
      } catch (BigQueryException e) {
        // The staging table expires on its own; the write's outcome matters more than this.
        log.warn("Could not delete staging table {}: {}", stagingRef, e.getMessage());
      }
    }
  }

  private TableRef staging(TableRef target) {
    byte[] suffix = new byte[6];
    for (int i = 0; i < suffix.length; i++) {
      suffix[i] = (byte) random.nextInt(256);
    }
    String base = target.table();
    if (base.length() > 990) {
      base = base.substring(0, 990);
    }
    return target.sibling(base + "_staging_" + HexFormat.of().formatHex(suffix));
  }

  private int commit(String what, PreCommitCheck check, QueryJobConfiguration config) {
    int[] attempts = {0};
    retrier.run(
        what,
        check,
        () -> {
          attempts[0]++;
          try {
            return bigquery.query(config);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BigQueryWriteException(what + " interrupted", e);
          }
        });
    return attempts[0];
  }

  private void load(TableId destination, byte[] data, JobInfo.WriteDisposition disposition) {
    WriteChannelConfiguration config =
        WriteChannelConfiguration.newBuilder(destination)
            .setFormatOptions(FormatOptions.json())
            .setCreateDisposition(JobInfo.CreateDisposition.CREATE_NEVER)
            .setWriteDisposition(disposition)
            .build();
    JobId jobId = JobId.newBuilder().setRandomJob().build();
    TableDataWriteChannel channel = bigquery.writer(jobId, config);
    try (channel) {
      channel.write(ByteBuffer.wrap(data));
    } catch (IOException e) {
      throw new BigQueryWriteException("uploading to " + destination + " failed", e);
    }
    Job job = channel.getJob();
    try {
      job = job == null ? bigquery.getJob(jobId) : job.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryWriteException("load into " + destination + " interrupted", e);
    }
    failIfJobFailed(job, "load into " + destination);
  }

  private static void failIfJobFailed(Job job, String what) {
    if (job == null) {
      throw new BigQueryWriteException(what + ": the job disappeared", null);
    }
    BigQueryError error = job.getStatus() == null ? null : job.getStatus().getError();
    if (error != null) {
      // Thrown as the client would throw a failed call, so the retry sees a concurrent update.
      throw new BigQueryException(0, what + " failed: " + error.getMessage(), error);
    }
  }

  private Schema schemaOf(TableRef target) {
    Table table;
    try {
      table = bigquery.getTable(target.toTableId());
    } catch (BigQueryException e) {
      throw new BigQueryWriteException("reading the schema of " + target + " failed", e);
    }
    if (table == null
        || table.getDefinition() == null
        || table.getDefinition().getSchema() == null) {
      throw new BigQueryWriteException("table " + target + " not found or has no schema", null);
    }
    return table.getDefinition().getSchema();
  }

  private static void requireInPartition(
      List<? extends Map<String, ?>> rows, PartitionFilter partition) {
    for (int i = 0; i < rows.size(); i++) {
      Map<String, ?> row = rows.get(i);
      if (row == null) {
        throw new IllegalArgumentException("row " + i + " is null");
      }
      Object v = row.get(partition.column());
      boolean same =
          v != null
              && (KeyValues.same(v, partition.value())
                  || v.toString().equals(partition.value().toString()));
      if (!same) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + partition.column()
                + " = "
                + v
                + ", outside the partition "
                + describe(partition));
      }
    }
  }

  private static String describe(PartitionFilter p) {
    return p.column() + " = " + p.value();
  }

  /** Configures a {@link BigQueryWriter}. Not thread-safe. */
  public static final class Builder {
    private final BigQuery bigquery;
    private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    private Sleeper sleeper = Sleeper.SYSTEM;
    // java.util.Random is thread-safe (an atomic seed), which a shared writer needs;
    // RandomGenerator.getDefault() is not. Jitter and staging suffixes need no unpredictability,
    // so SecureRandom's cost (and possible blocking on entropy) buys nothing here.
    private RandomGenerator random = new Random();
    private Clock clock = Clock.systemUTC();
    private Duration stagingExpiration = Duration.ofHours(6);

    private Builder(BigQuery bigquery) {
      this.bigquery = bigquery;
    }

    /**
     * Sets the concurrent-update retry; {@link RetryPolicy#ofDefaults()} by default.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder retryPolicy(RetryPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("retryPolicy must not be null");
      }
      this.retryPolicy = policy;
      return this;
    }

    /**
     * Sets how retries wait; tests pass one that records instead of sleeping.
     *
     * @param sleeper the sleeper
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder sleeper(Sleeper sleeper) {
      if (sleeper == null) {
        throw new IllegalArgumentException("sleeper must not be null");
      }
      this.sleeper = sleeper;
      return this;
    }

    /**
     * Sets the source of retry jitter and staging-table suffixes; a new {@link Random}
     * (thread-safe) by default.
     *
     * @param random the generator; must be thread-safe if the writer is shared
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder random(RandomGenerator random) {
      if (random == null) {
        throw new IllegalArgumentException("random must not be null");
      }
      this.random = random;
      return this;
    }

    /**
     * Sets the clock for staging expiration and backup names.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets when an orphaned staging table (its writer died) expires; 6 hours by default.
     *
     * @param expiration positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder stagingExpiration(Duration expiration) {
      if (expiration == null || expiration.isNegative() || expiration.isZero()) {
        throw new IllegalArgumentException("stagingExpiration must be positive, got " + expiration);
      }
      this.stagingExpiration = expiration;
      return this;
    }

    /**
     * Builds the writer.
     *
     * @return the writer
     */
    public BigQueryWriter build() {
      return new BigQueryWriter(this);
    }
  }
}
