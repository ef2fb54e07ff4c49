package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import dev.pipelinereliability.bigquery.internal.Columns;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.Refusals;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fenced, guarded partition replace: staged rows, then one commit (the bare MERGE, or the
 * commit script around it when a fence or a guard is on). Thread-safe.
 */
final class PartitionReplace {
  private final WriteSupport support;

  PartitionReplace(WriteSupport support) {
    this.support = support;
  }

  WriteResult replace(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard,
      WriteSupport.Sends sends) {
    TableRef target = TableRef.parse(table);
    Columns.validate(partition.column());
    Parameters.of(partition.value());
    WriteArguments.requireRowsInPartition(rows, partition);
    WriteArguments.requireFence(fence);
    WriteArguments.requireGuard(guard);
    Optional<TableRef> fenceTable = support.fenceTable(target, fence);
    Schema schema = support.schemaOf(target);
    String described = WriteArguments.describe(Optional.of(partition));
    return support.withStaging(
        target,
        schema,
        rows,
        stagingRef ->
            support.commit(
                "replace " + target + " " + described,
                fence,
                new Refusals(target.toString(), described, guard),
                commitConfig(target, stagingRef, partition, fenceTable, fence, guard, rows.size()),
                0,
                sends));
  }

  /**
   * The commit of a partition replace: the bare MERGE, or with a fence or a guard the commit script
   * around it, with every parameter bound. The one place the replace's text and parameters are
   * built (the analyzer test reads them from here).
   */
  static QueryJobConfiguration commitConfig(
      TableRef target,
      TableRef staging,
      PartitionFilter partition,
      Optional<TableRef> fenceTable,
      Fence fence,
      PartialDataGuard guard,
      long newRows) {
    Optional<PartitionFilter> guarded = guard.isOn() ? Optional.of(partition) : Optional.empty();
    QueryJobConfiguration.Builder config =
        WriteSupport.commitConfig(
            target,
            Sql.replacePartition(target, staging, partition),
            Optional.of(partition),
            fenceTable,
            guarded,
            fence);
    if (guarded.isPresent()) {
      config
          .addNamedParameter(Sql.NEW_ROWS_PARAM, QueryParameterValue.int64(newRows))
          .addNamedParameter(
              Sql.MIN_FRACTION_PARAM, QueryParameterValue.float64(guard.minFraction()))
          .addNamedParameter(Sql.REFUSE_EMPTY_PARAM, QueryParameterValue.bool(guard.refuseEmpty()));
    }
    return config.build();
  }
}
