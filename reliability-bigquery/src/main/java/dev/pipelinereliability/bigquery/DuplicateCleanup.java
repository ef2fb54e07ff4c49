package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.CopyJobConfiguration;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.Refusals;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.OpenTelemetry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duplicate cleanup: a plan from the duplicate check, an optional backup (snapshot or copy),
 * then one MERGE that keeps one row per key, fenced like the replace. Thread-safe.
 */
final class DuplicateCleanup {
  private static final Logger log = LoggerFactory.getLogger(BigQueryWriter.class);
  private static final DateTimeFormatter BACKUP_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final WriteSupport support;
  private final BigQueryDuplicateValidator validator;

  DuplicateCleanup(WriteSupport support, OpenTelemetry openTelemetry) {
    this.support = support;
    this.validator =
        BigQueryDuplicateValidator.builder(support.bigquery).openTelemetry(openTelemetry).build();
  }

  CleanupPlan plan(DuplicateCheck check, Keep keep) {
    return new CleanupPlan(validator.validate(check), keep, sql(check, keep));
  }

  WriteResult cleanup(CleanupPlan plan, Backup backup, Fence fence) {
    WriteArguments.requireFence(fence);
    DuplicateCheck dc = plan.report().check();
    TableRef target = TableRef.parse(dc.table());
    if (plan.report().isClean()) {
      return WriteResult.nothing();
    }
    Optional<TableRef> fenceTable = support.fenceTable(target, fence);
    Optional<TableRef> backupTable =
        backup == Backup.NONE ? Optional.empty() : Optional.of(backup(target, backup));
    QueryJobConfiguration config = commitConfig(dc, plan.keep(), fenceTable, fence);
    String what = "duplicate cleanup of " + target;
    try {
      return support.commit(
          what,
          fence,
          new Refusals(
              target.toString(), WriteArguments.describe(dc.partition()), PartialDataGuard.off()),
          config,
          0,
          // A cleanup is no PartitionWriter call, so no write metric counts its sends.
          new WriteSupport.Sends());
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
          backupTable.get().toString(),
          e);
    }
  }

  /** The cleanup MERGE for {@code check} and {@code keep}, unfenced. */
  static String sql(DuplicateCheck check, Keep keep) {
    TableRef target = TableRef.parse(check.table());
    List<String> keys = Columns.validateAll(check.keyColumns());
    check.partition().ifPresent(p -> Columns.validate(p.column()));
    return Sql.cleanup(target, keys, check.partition(), keep.orderColumn(), keep.latest());
  }

  /** The commit of a duplicate cleanup: its MERGE, or the fenced commit script around it. */
  static QueryJobConfiguration commitConfig(
      DuplicateCheck check, Keep keep, Optional<TableRef> fenceTable, Fence fence) {
    return WriteSupport.commitConfig(
            TableRef.parse(check.table()),
            sql(check, keep),
            check.partition(),
            fenceTable,
            Optional.empty(),
            fence)
        .build();
  }

  private TableRef backup(TableRef target, Backup backup) {
    TableRef copy =
        target.sibling(target.table() + "_backup_" + BACKUP_SUFFIX.format(support.clock.instant()));
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
      job = support.bigquery.create(JobInfo.of(config.build())).waitFor();
    } catch (BigQueryException e) {
      throw new BigQueryWriteException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryWriteException(what + " interrupted", e);
    }
    try {
      WriteSupport.failIfJobFailed(job, what);
    } catch (BigQueryException e) {
      // The message already reads "<what> failed: <BigQuery's error>"; do not say it twice.
      throw new BigQueryWriteException(Objects.requireNonNullElse(e.getMessage(), what), e);
    }
    log.info("Backed up {} to {} ({})", target, copy, backup);
    return copy;
  }
}
