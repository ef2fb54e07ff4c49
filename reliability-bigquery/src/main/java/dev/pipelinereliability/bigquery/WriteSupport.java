package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
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
import dev.pipelinereliability.bigquery.internal.Ndjson;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.QueryJobs;
import dev.pipelinereliability.bigquery.internal.Refusals;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.retry.Retrier;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the replace, the upsert and the cleanup share: the target's schema, the fence table, the
 * staging table and its load, the commit under the retry, and the commit's DML statistics.
 * Thread-safe: concurrent writes use separate staging tables.
 */
final class WriteSupport {
  private static final Logger log = LoggerFactory.getLogger(BigQueryWriter.class);

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

  final BigQuery bigquery;
  final Clock clock;
  private final Retrier retrier;
  private final RandomGenerator random;
  private final Duration stagingExpiration;
  private final Set<TableRef> fenceTablesReady = ConcurrentHashMap.newKeySet();

  WriteSupport(
      BigQuery bigquery,
      Clock clock,
      Retrier retrier,
      RandomGenerator random,
      Duration stagingExpiration) {
    this.bigquery = bigquery;
    this.clock = clock;
    this.retrier = retrier;
    this.random = random;
    this.stagingExpiration = stagingExpiration;
  }

  /** The fence table of {@code target}: {@code <table>__fence} in the same dataset. */
  static TableRef fenceTableOf(TableRef target) {
    return target.sibling(target.table() + BigQueryWriter.FENCE_TABLE_SUFFIX);
  }

  /** The target's fence table, created on the first fenced write of this writer; empty if none. */
  Optional<TableRef> fenceTable(TableRef target, Fence fence) {
    if (!fence.isFenced()) {
      return Optional.empty();
    }
    TableRef fenceRef = fenceTableOf(target);
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

  /**
   * A commit's configuration: {@code dataStatement} alone, or inside the commit script when it is
   * fenced or guarded, with the partition value and the script's parameters bound (the guard's
   * counts are the caller's to bind).
   */
  static QueryJobConfiguration.Builder commitConfig(
      TableRef target,
      String dataStatement,
      Optional<PartitionFilter> partition,
      Optional<TableRef> fenceTable,
      Optional<PartitionFilter> guarded,
      Fence fence) {
    boolean script = fenceTable.isPresent() || guarded.isPresent();
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(
                script
                    ? Sql.commitScript(target, fenceTable, guarded, dataStatement)
                    : dataStatement)
            .setUseLegacySql(false);
    partition.ifPresent(
        p -> config.addNamedParameter(Sql.PARTITION_PARAM, Parameters.of(p.value())));
    if (script) {
      scriptParameters(config, target, partition, fence);
    }
    return config;
  }

  /** Binds the parameters every commit script reads: table, fence key, and the fence's token. */
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

  /** The commit that reads a staging table. */
  interface StagedWrite {
    WriteResult commit(TableRef staging);
  }

  /**
   * Creates a staging table with the target's schema, loads {@code rows} into it, runs {@code
   * write}, and deletes the staging table whatever happened (it also expires on its own).
   */
  WriteResult withStaging(
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
      // An interrupted write has restored the flag for its caller; the client's call would fail
      // on it and clear it. Delete with the flag down, then raise it again.
      boolean interrupted = Thread.interrupted();
      try {
        bigquery.delete(stagingId);
      } catch (BigQueryException e) {
        // The staging table expires on its own; the write's outcome matters more than this.
        log.warn("Could not delete staging table {}: {}", stagingRef, e.getMessage());
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
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

  /**
   * How many times one write call sent its commit, so that whatever ends the call (a result, a
   * refusal, a failure, a conflict on every attempt) can count its retries once. Not thread-safe:
   * one per call.
   */
  static final class Sends {
    private int count;

    /** The sends after the first: each went out again after a concurrent update. */
    long retries() {
      return Math.max(0, count - 1L);
    }
  }

  /**
   * Runs the commit under the retry: the fence's check before every attempt, refusals translated
   * and never retried, concurrent updates retried (each attempt sends the whole script again, so it
   * reads the fence again); then reads its DML statistics. Every send is counted in {@code sends}
   * before it goes out; an attempt the fence's check stops is not sent.
   */
  WriteResult commit(
      String what,
      Fence fence,
      Refusals refusals,
      QueryJobConfiguration config,
      long duplicatesRemoved,
      Sends sends) {
    boolean script = config.getQuery().contains("BEGIN TRANSACTION;");
    Retrier.Attempts attempts = retrier.start();
    RuntimeException conflict = null;
    try {
      while (attempts.next(
          (failed, wait) ->
              log.warn(
                  "{}: concurrent update on attempt {} of {}; retrying in {} ms",
                  what,
                  failed,
                  retrier.policy().maxAttempts(),
                  wait.toMillis()))) {
        fence.checkBeforeCommit();
        sends.count++;
        try {
          TableResult result =
              QueryJobs.run(
                  bigquery, config, what, (message, cause) -> failure(message, cause, refusals));
          return auditedResult(
              what, result.getJobId(), script, duplicatesRemoved, attempts.count());
        } catch (Conflict e) {
          conflict = e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryWriteException(what + " interrupted while waiting to retry", e);
    }
    throw new ConcurrentUpdateException(
        what + " failed with a concurrent update on all " + attempts.count() + " attempt(s)",
        attempts.count(),
        conflict == null ? null : conflict.getCause());
  }

  /** A failed commit as the caller sees it: a refusal, a conflict to retry, or a write failure. */
  private static RuntimeException failure(String message, Throwable cause, Refusals refusals) {
    RuntimeException refused = refusals.translate(cause);
    if (refused != null) {
      return refused;
    }
    if (!(cause instanceof InterruptedException) && QueryJobs.isConcurrentUpdate(cause)) {
      return new Conflict(cause);
    }
    return new BigQueryWriteException(message, cause);
  }

  /** A concurrent update, retried by {@link #commit}; never leaves this class. */
  private static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
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
            Comparator.comparing(
                (Job j) -> j.getStatistics() == null ? null : j.getStatistics().getCreationTime(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        for (Job child : children) {
          ids.add(child.getJobId().getJob());
          JobStatistics.QueryStatistics q = child.getStatistics();
          if (stats == null
              && q != null
              && JobStatistics.QueryStatistics.StatementType.MERGE.equals(q.getStatementType())) {
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

  /** Throws a job's error as the client would throw a failed call. */
  static void failIfJobFailed(Job job, String what) {
    if (job == null) {
      throw new BigQueryWriteException(what + ": the job disappeared", null);
    }
    BigQueryError error = job.getStatus() == null ? null : job.getStatus().getError();
    if (error != null) {
      // Thrown as the client would throw a failed call, so the retry sees a concurrent update.
      throw new BigQueryException(0, what + " failed: " + error.getMessage(), error);
    }
  }

  Schema schemaOf(TableRef target) {
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
}
