package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.Refusals;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The upsert: rows deduplicated by key first (a MERGE fails when a target row matches two source
 * rows), staged, then one MERGE by key, fenced like the replace. Thread-safe.
 */
final class Upsert {
  private final WriteSupport support;
  private final OpenTelemetry openTelemetry;

  Upsert(WriteSupport support, OpenTelemetry openTelemetry) {
    this.support = support;
    this.openTelemetry = openTelemetry;
  }

  WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      WriteSupport.Sends sends) {
    TableRef target = TableRef.parse(table);
    List<String> keys = Columns.validateAll(keyColumns);
    versionColumn.ifPresent(Columns::validate);
    partition.ifPresent(
        p -> {
          Columns.validate(p.column());
          Parameters.of(p.value());
          WriteArguments.requireRowsInPartition(rows, p);
        });
    WriteArguments.requireFence(fence);
    Deduplicator.Builder<Map<String, Object>> dedup =
        Deduplicator.forRows(keys).openTelemetry(openTelemetry);
    versionColumn.ifPresent(dedup::keepLatestBy);
    @SuppressWarnings("unchecked") // read-only view: the dedup never writes into the rows
    List<Map<String, Object>> input = (List<Map<String, Object>>) (List<?>) rows;
    DedupResult<Map<String, Object>> deduped = dedup.build().apply(input);
    Optional<TableRef> fenceTable = support.fenceTable(target, fence);
    Schema schema = support.schemaOf(target);
    List<String> columns =
        schema.getFields().stream().map(Field::getName).collect(Collectors.toList());
    String described = WriteArguments.describe(partition);
    return support.withStaging(
        target,
        schema,
        deduped.rows(),
        stagingRef ->
            support.commit(
                "upsert into " + target + " " + described,
                fence,
                new Refusals(target.toString(), described, PartialDataGuard.off()),
                commitConfig(
                    target, stagingRef, keys, columns, versionColumn, partition, fenceTable, fence),
                deduped.removedCount(),
                sends));
  }

  /** The commit of an upsert: the MERGE by key, or the fenced commit script around it. */
  static QueryJobConfiguration commitConfig(
      TableRef target,
      TableRef staging,
      List<String> keys,
      List<String> columns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      Optional<TableRef> fenceTable,
      Fence fence) {
    return WriteSupport.commitConfig(
            target,
            Sql.upsert(target, staging, keys, columns, versionColumn, partition),
            partition,
            fenceTable,
            Optional.empty(),
            fence)
        .build();
  }
}
