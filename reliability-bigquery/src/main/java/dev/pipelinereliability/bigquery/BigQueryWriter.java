package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.CopyJobConfiguration;
import com.google.cloud.bigquery.DmlStats;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BigQuery writes that a stale lock holder cannot overwrite, that partial data cannot wipe, and
 * that cannot leave duplicates, on the caller's {@link BigQuery} client (never closed). The
 * BigQuery {@link PartitionWriter}.
 *
 * <ul>
 *   <li>{@link #replacePartition}: rows are loaded into a staging table, then ONE commit replaces
 *       the partition: a {@code MERGE ... ON FALSE} that deletes the partition's old rows and
 *       inserts the new ones. With a {@link Fence} or a {@link PartialDataGuard} the MERGE runs
 *       inside a multi-statement transaction that first refuses a stale token and partial data, and
 *       then advances the stored token (the commit script, whose text the module README shows);
 *       before it, a fenced script makes sure the partition's fence row exists, so that two
 *       overlapping commits always both update it and BigQuery cancels one of them. Never DELETE
 *       then INSERT as two jobs.
 *   <li>{@link #upsert}: dedup the rows by key first (a MERGE fails when a target row matches two
 *       source rows), stage them, then one MERGE by key, fenced the same way.
 *   <li>{@link #planCleanup} / {@link #cleanup}: for a partition that already holds duplicates,
 *       report what would be removed, optionally back the table up, then one atomic MERGE that
 *       keeps one row per key, fenced the same way.
 * </ul>
 *
 * <p><b>The fence.</b> For a table {@code ds.t} the stored tokens live in {@code ds.t__fence}, one
 * row per partition (key: the partition value as text, or {@code ''} for a whole-table upsert),
 * created through the API on first use (DDL in the module README). A fence table per target table,
 * not one shared table: BigQuery aborts a transaction at commit when another transaction changed
 * the same table first, so a shared fence table would make every writer of every table contend.
 * Tokens are compared only within one row, so every writer of a partition must take its tokens from
 * the same lock.
 *
 * <p>Before each attempt of a commit the writer runs {@link Fence#checkBeforeCommit()} (for a fence
 * from a {@code LockHandle}, its {@code checkValid()}): an early exit, not the guarantee. The
 * commit is retried under the {@link RetryPolicy} when BigQuery reports a concurrent update ("Could
 * not serialize access ...", "Transaction is aborted ..."); each retry sends the whole script
 * again, so it reads the fence again. A refusal is never retried. Every other error surfaces at
 * once as {@link BigQueryWriteException}.
 *
 * <p>Identifiers are validated and quoted before any request ({@link TableRef}, {@link Columns});
 * values reach BigQuery only as load data or bound parameters.
 *
 * <p>Thread-safe: concurrent writes use separate staging tables.
 */
public final class BigQueryWriter implements PartitionWriter {
  private static final Logger log = LoggerFactory.getLogger(BigQueryWriter.class);
  private static final DateTimeFormatter BACKUP_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  /** Appended to a table's name to name its fence table. */
  public static final String FENCE_TABLE_SUFFIX = "__fence";

  private static final Schema FENCE_SCHEMA =
      Schema.of(
          Field.newBuilder("partition_key", StandardSQLTypeName.STRING)
              .setMode(Field.Mode.REQUIRED)
              .build(),
          Field.newBuilder("token", StandardSQLTypeName.INT64).setMode(Field.Mode.REQUIRED).build(),
          Field.newBuilder("lock_name", StandardSQLTypeName.STRING)
              .setMode(Field.Mode.NULLABLE)
              .build(),
          Field.newBuilder("committed_at", StandardSQLTypeName.TIMESTAMP)
              .setMode(Field.Mode.REQUIRED)
              .build());

  private final BigQuery bigquery;
  private final Retrier retrier;
  private final Clock clock;
  private final RandomGenerator random;
  private final Duration stagingExpiration;
  private final PartialDataGuard defaultGuard;
  private final BigQueryDuplicateValidator validator;
  private final Set<TableRef> fenceTablesReady = ConcurrentHashMap.newKeySet();

  private BigQueryWriter(Builder b) {
    this.bigquery = b.bigquery;
    this.clock = b.clock;
    this.random = b.random;
    this.retrier = new Retrier(b.retryPolicy, b.sleeper, b.random);
    this.stagingExpiration = b.stagingExpiration;
    this.defaultGuard = b.partialDataGuard;
    this.validator = BigQueryDuplicateValidator.create(b.bigquery);
  }

  /**
   * A writer with default retry, the default partial-data guard, real sleeps and the system clock.
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
   * The fence table of {@code table}: {@code <table>__fence} in the same dataset.
   *
   * @param table the table id
   * @return the fence table's id
   * @throws IllegalArgumentException if {@code table} is invalid
   */
  public static TableRef fenceTableOf(String table) {
    TableRef target = TableRef.parse(table);
    return target.sibling(target.table() + FENCE_TABLE_SUFFIX);
  }

  /**
   * The DDL that creates {@code table}'s fence table, for a one-time setup by hand (the writer
   * otherwise creates the table through the API on its first fenced write).
   *
   * @param table the table id
   * @return a {@code CREATE TABLE IF NOT EXISTS} statement
   * @throws IllegalArgumentException if {@code table} is invalid
   */
  public static String fenceTableDdl(String table) {
    return Sql.fenceTableDdl(fenceTableOf(table));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Requests: tables.get (schema), tables.insert (staging), the staging load (upload and job),
   * one jobs.query with the commit, one jobs.list (or jobs.get) for the DML statistics, and
   * tables.delete (staging); on the first fenced write per table and writer, one tables.insert for
   * the fence table.
   */
  @Override
  public WriteResult replacePartition(
      String table, PartitionFilter partition, List<? extends Map<String, ?>> rows, Fence fence) {
    return replacePartition(table, partition, rows, fence, defaultGuard);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With neither a fence nor a guard the commit is the bare MERGE; otherwise the MERGE inside
   * the commit script, which counts the partition (for the guard) and reads the fence in the same
   * transaction, so neither costs an extra job.
   */
  @Override
  public WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard) {
    TableRef target = TableRef.parse(table);
    Columns.validate(partition.column());
    Parameters.of(partition.value());
    requireInPartition(rows, partition);
    requireFence(fence);
    if (guard == null) {
      throw new IllegalArgumentException("guard must not be null (use PartialDataGuard.off())");
    }
    Optional<TableRef> fenceTable = fenceTable(target, fence);
    Schema schema = schemaOf(target);
    return withStaging(
        target,
        schema,
        rows,
        stagingRef -> {
          QueryJobConfiguration config =
              replaceCommit(target, stagingRef, partition, fenceTable, fence, guard, rows.size());
          return commit(
              "replace " + target + " " + describe(Optional.of(partition)),
              fence,
              new Refusals(target.toString(), describe(Optional.of(partition)), guard),
              config,
              0);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Keys match with {@code IS NOT DISTINCT FROM}, so NULL keys match as they group; with a
   * version column an incoming row never overwrites a target row with a greater version.
   */
  @Override
  public WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence) {
    TableRef target = TableRef.parse(table);
    List<String> keys = Columns.validateAll(keyColumns);
    versionColumn.ifPresent(Columns::validate);
    partition.ifPresent(
        p -> {
          Columns.validate(p.column());
          Parameters.of(p.value());
          requireInPartition(rows, p);
        });
    requireFence(fence);
    Deduplicator.Builder<Map<String, Object>> dedup = Deduplicator.forRows(keys);
    versionColumn.ifPresent(dedup::keepLatestBy);
    @SuppressWarnings("unchecked") // read-only view: the dedup never writes into the rows
    List<Map<String, Object>> input = (List<Map<String, Object>>) (List<?>) rows;
    DedupResult<Map<String, Object>> deduped = dedup.build().apply(input);
    Optional<TableRef> fenceTable = fenceTable(target, fence);
    Schema schema = schemaOf(target);
    List<String> columns =
        schema.getFields().stream().map(Field::getName).collect(Collectors.toList());
    return withStaging(
        target,
        schema,
        deduped.rows(),
        stagingRef -> {
          QueryJobConfiguration config =
              upsertCommit(
                  target, stagingRef, keys, columns, versionColumn, partition, fenceTable, fence);
          return commit(
              "upsert into " + target + " " + describe(partition),
              fence,
              new Refusals(target.toString(), describe(partition), PartialDataGuard.off()),
              config,
              deduped.removedCount());
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
   * partition from itself keeping one row per key, fenced like {@link #replacePartition} (the fence
   * row of the plan's partition, or of the whole table). Keys are grouped exactly as the duplicate
   * check groups them ({@code GROUP BY}: NULLs together, NaNs together, {@code 0.0} with {@code
   * -0.0}), for keys of any groupable type including FLOAT64. Does nothing if the plan found no
   * duplicates.
   *
   * @param plan from {@link #planCleanup}
   * @param backup whether and how to back up first
   * @param fence the caller's lock fence, or {@link Fence#unfenced()}
   * @return the commit's DML statistics (rows removed = deleted minus inserted), job ids, attempts
   * @throws IllegalArgumentException if {@code fence} is null
   * @throws CleanupFailedException if anything fails after the backup was taken (the statement, its
   *     retries, a stale fence, or the lock check): the message and {@link
   *     CleanupFailedException#backup()} name the backup, which is kept; the original failure (for
   *     example {@link dev.pipelinereliability.write.StaleFenceException}) is the cause; the table
   *     is unchanged
   * @throws dev.pipelinereliability.write.StaleFenceException if a later token was committed for
   *     the partition and no backup was taken
   * @throws ConcurrentUpdateException if every attempt met a concurrent update (no backup taken)
   * @throws BigQueryWriteException if the backup or the statement fails; the table is unchanged
   */
  public WriteResult cleanup(CleanupPlan plan, Backup backup, Fence fence) {
    requireFence(fence);
    DuplicateCheck dc = plan.report().check();
    TableRef target = TableRef.parse(dc.table());
    if (plan.report().isClean()) {
      return WriteResult.nothing();
    }
    Optional<TableRef> fenceTable = fenceTable(target, fence);
    Optional<TableRef> backupTable =
        backup == Backup.NONE ? Optional.empty() : Optional.of(backup(target, backup));
    QueryJobConfiguration config = cleanupCommit(dc, plan.keep(), fenceTable, fence);
    String what = "duplicate cleanup of " + target;
    try {
      return commit(
          what,
          fence,
          new Refusals(target.toString(), describe(dc.partition()), PartialDataGuard.off()),
          config,
          0);
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
  }

  /**
   * The SQL text {@link #cleanup} sends for {@code check} and {@code keep}, unfenced; a fenced
   * cleanup sends it inside the commit script.
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

  /**
   * The commit of a partition replace: the bare MERGE, or with a fence or a guard the commit script
   * around it, with every parameter bound. The one place the replace's text and parameters are
   * built (the analyzer test reads them from here).
   */
  static QueryJobConfiguration replaceCommit(
      TableRef target,
      TableRef staging,
      PartitionFilter partition,
      Optional<TableRef> fenceTable,
      Fence fence,
      PartialDataGuard guard,
      long newRows) {
    String merge = Sql.replacePartition(target, staging, partition);
    Optional<PartitionFilter> guarded = guard.isOn() ? Optional.of(partition) : Optional.empty();
    boolean script = fenceTable.isPresent() || guarded.isPresent();
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(
                script ? Sql.commitScript(target, fenceTable, guarded, merge) : merge)
            .setUseLegacySql(false)
            .addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(partition.value()));
    if (script) {
      scriptParameters(config, target, Optional.of(partition), fence);
    }
    if (guarded.isPresent()) {
      config
          .addNamedParameter(Sql.NEW_ROWS_PARAM, QueryParameterValue.int64(newRows))
          .addNamedParameter(
              Sql.MIN_FRACTION_PARAM, QueryParameterValue.float64(guard.minFraction()))
          .addNamedParameter(Sql.REFUSE_EMPTY_PARAM, QueryParameterValue.bool(guard.refuseEmpty()));
    }
    return config.build();
  }

  /** The commit of an upsert: the MERGE by key, or the fenced commit script around it. */
  static QueryJobConfiguration upsertCommit(
      TableRef target,
      TableRef staging,
      List<String> keys,
      List<String> columns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      Optional<TableRef> fenceTable,
      Fence fence) {
    String merge = Sql.upsert(target, staging, keys, columns, versionColumn, partition);
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(
                fenceTable.isPresent()
                    ? Sql.commitScript(target, fenceTable, Optional.empty(), merge)
                    : merge)
            .setUseLegacySql(false);
    partition.ifPresent(
        p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
    if (fenceTable.isPresent()) {
      scriptParameters(config, target, partition, fence);
    }
    return config.build();
  }

  /** The commit of a duplicate cleanup: its MERGE, or the fenced commit script around it. */
  static QueryJobConfiguration cleanupCommit(
      DuplicateCheck check, Keep keep, Optional<TableRef> fenceTable, Fence fence) {
    TableRef target = TableRef.parse(check.table());
    String merge = cleanupSql(check, keep);
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(
                fenceTable.isPresent()
                    ? Sql.commitScript(target, fenceTable, Optional.empty(), merge)
                    : merge)
            .setUseLegacySql(false);
    check
        .partition()
        .ifPresent(p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
    if (fenceTable.isPresent()) {
      scriptParameters(config, target, check.partition(), fence);
    }
    return config.build();
  }

  private static void requireFence(Fence fence) {
    if (fence == null) {
      throw new IllegalArgumentException(
          "fence must not be null: pass Fence.of(lockHandle), or Fence.unfenced() to write"
              + " without a lock");
    }
  }

  /** The target's fence table, created on the first fenced write of this writer; empty if none. */
  private Optional<TableRef> fenceTable(TableRef target, Fence fence) {
    if (!fence.isFenced()) {
      return Optional.empty();
    }
    TableRef fenceRef = target.sibling(target.table() + FENCE_TABLE_SUFFIX);
    if (fenceTablesReady.contains(fenceRef)) {
      return Optional.of(fenceRef);
    }
    try {
      bigquery.create(TableInfo.of(fenceRef.toTableId(), StandardTableDefinition.of(FENCE_SCHEMA)));
      log.info("Created fence table {}", fenceRef);
    } catch (BigQueryException e) {
      if (e.getCode() != 409) {
        throw new BigQueryWriteException(
            "creating fence table " + fenceRef + " failed: " + e.getMessage(), e);
      }
    }
    fenceTablesReady.add(fenceRef);
    return Optional.of(fenceRef);
  }

  private static void scriptParameters(
      QueryJobConfiguration.Builder config,
      TableRef target,
      Optional<PartitionFilter> partition,
      Fence fence) {
    config
        .addNamedParameter(Sql.TABLE_NAME_PARAM, QueryParameterValue.string(target.toString()))
        .addNamedParameter(
            Sql.PARTITION_KEY_PARAM,
            QueryParameterValue.string(
                partition.map(p -> Parameters.keyText(p.value())).orElse("")));
    if (fence.isFenced()) {
      config
          .addNamedParameter(Sql.FENCE_TOKEN_PARAM, QueryParameterValue.int64(fence.token()))
          .addNamedParameter(Sql.LOCK_NAME_PARAM, QueryParameterValue.string(fence.lockName()));
    }
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

  private WriteResult commit(
      String what,
      Fence fence,
      Refusals refusals,
      QueryJobConfiguration config,
      long duplicatesRemoved) {
    boolean script = config.getQuery().contains("BEGIN TRANSACTION;");
    int[] attempts = {0};
    Function<Throwable, RuntimeException> refusal = refusals::translate;
    TableResult result =
        retrier.run(
            what,
            fence::checkBeforeCommit,
            refusal,
            () -> {
              attempts[0]++;
              try {
                return bigquery.query(config);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BigQueryWriteException(what + " interrupted", e);
              }
            });
    return auditedResult(what, result.getJobId(), script, duplicatesRemoved, attempts[0]);
  }

  /**
   * The commit's DML statistics: a script's are on its child MERGE job (found with jobs.list by
   * parent job id), a bare MERGE's on its own job (jobs.get). The write has committed by now, so a
   * failure to read them is logged and reported as zero counts, never thrown.
   */
  private WriteResult auditedResult(
      String what, JobId jobId, boolean script, long duplicatesRemoved, int attempts) {
    if (jobId == null) {
      log.warn("{}: BigQuery returned no job id; DML statistics unavailable", what);
      return new WriteResult(0, 0, 0, duplicatesRemoved, attempts, List.of());
    }
    List<String> ids = new ArrayList<>();
    ids.add(jobId.getJob());
    DmlStats stats = null;
    try {
      if (script) {
        List<Job> children = new ArrayList<>();
        bigquery
            .listJobs(BigQuery.JobListOption.parentJobId(jobId.getJob()))
            .iterateAll()
            .forEach(children::add);
        // Statements run in script order; the data MERGE comes before the fence's MERGE.
        children.sort(
            java.util.Comparator.comparing(
                (Job j) -> j.getStatistics() == null ? null : j.getStatistics().getCreationTime(),
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
        for (Job child : children) {
          ids.add(child.getJobId().getJob());
          JobStatistics.QueryStatistics q = child.getStatistics();
          if (stats == null
              && q != null
              && q.getStatementType() == JobStatistics.QueryStatistics.StatementType.MERGE) {
            stats = q.getDmlStats();
          }
        }
      } else {
        Job job = bigquery.getJob(jobId);
        if (job != null && job.getStatistics() instanceof JobStatistics.QueryStatistics q) {
          stats = q.getDmlStats();
        }
      }
    } catch (BigQueryException | ClassCastException e) {
      log.warn("{}: committed, but reading its DML statistics failed: {}", what, e.toString());
    }
    if (stats == null) {
      log.warn("{}: committed as job {}, but it reported no DML statistics", what, jobId.getJob());
      return new WriteResult(0, 0, 0, duplicatesRemoved, attempts, ids);
    }
    return new WriteResult(
        orZero(stats.getInsertedRowCount()),
        orZero(stats.getDeletedRowCount()),
        orZero(stats.getUpdatedRowCount()),
        duplicatesRemoved,
        attempts,
        ids);
  }

  private static long orZero(Long n) {
    return n == null ? 0 : n;
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
    if (rows == null) {
      throw new IllegalArgumentException("rows must not be null");
    }
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
                + describe(Optional.of(partition)));
      }
    }
  }

  private static String describe(Optional<PartitionFilter> p) {
    return p.map(f -> f.column() + " = " + f.value()).orElse("whole table");
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
    private PartialDataGuard partialDataGuard = PartialDataGuard.ofDefaults();

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
     * Sets the partial-data guard of every {@code replacePartition} call that does not pass its
     * own; {@link PartialDataGuard#ofDefaults()} by default.
     *
     * @param guard the guard
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder partialDataGuard(PartialDataGuard guard) {
      if (guard == null) {
        throw new IllegalArgumentException("partialDataGuard must not be null");
      }
      this.partialDataGuard = guard;
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
