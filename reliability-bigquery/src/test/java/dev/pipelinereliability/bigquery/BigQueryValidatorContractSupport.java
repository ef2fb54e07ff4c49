package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.InsertAllRequest;
import com.google.cloud.bigquery.InsertAllResponse;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import dev.pipelinereliability.testkit.validation.DuplicateValidatorContract;
import dev.pipelinereliability.validation.DuplicateValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link DuplicateValidatorContract} against a real BigQuery endpoint (the goccy emulator or
 * live BigQuery): tables are created with the contract's schema, partitioned by day on {@code
 * game_date}, and filled with insertAll.
 */
abstract class BigQueryValidatorContractSupport extends DuplicateValidatorContract {

  static final Schema SCHEMA =
      Schema.of(
          Field.of("game_date", StandardSQLTypeName.DATE),
          Field.of("game_id", StandardSQLTypeName.STRING),
          Field.of("player", StandardSQLTypeName.STRING),
          Field.of("system_id", StandardSQLTypeName.INT64),
          Field.of("points", StandardSQLTypeName.INT64));

  private final List<TableId> created = new ArrayList<>();

  abstract BigQuery bigquery();

  abstract String dataset();

  /** Whether the endpoint supports day partitioning (the goccy emulator ignores it). */
  boolean partitioned() {
    return true;
  }

  @Override
  protected DuplicateValidator validator() {
    return BigQueryDuplicateValidator.create(bigquery());
  }

  @Override
  protected String missingTable() {
    return dataset() + ".missing_" + System.nanoTime();
  }

  void ensureDataset() {
    if (bigquery().getDataset(DatasetId.of(dataset())) == null) {
      bigquery().create(DatasetInfo.of(dataset()));
    }
  }

  @Override
  protected String createTable(String name, List<Map<String, Object>> rows) {
    TableId id = TableId.of(dataset(), name);
    StandardTableDefinition.Builder def = StandardTableDefinition.newBuilder().setSchema(SCHEMA);
    if (partitioned()) {
      def.setTimePartitioning(
          TimePartitioning.newBuilder(TimePartitioning.Type.DAY).setField("game_date").build());
    }
    bigquery().create(TableInfo.of(id, def.build()));
    created.add(id);
    if (!rows.isEmpty()) {
      InsertAllRequest.Builder insert = InsertAllRequest.newBuilder(id);
      for (Map<String, Object> row : rows) {
        Map<String, Object> content = new HashMap<>();
        row.forEach((k, v) -> content.put(k, v == null ? null : v.toString()));
        insert.addRow(content);
      }
      InsertAllResponse response = bigquery().insertAll(insert.build());
      if (response.hasErrors()) {
        throw new IllegalStateException("insertAll failed: " + response.getInsertErrors());
      }
    }
    return dataset() + "." + name;
  }

  void dropCreatedTables() {
    for (TableId id : created) {
      bigquery().delete(id);
    }
    created.clear();
  }
}
