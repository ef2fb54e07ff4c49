package dev.pipelinereliability.bigquery.internal;

import dev.pipelinereliability.validation.PartitionFilter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every statement text the module sends (duplicate check, replace, upsert, cleanup, the commit
 * script and fence DDL, landed rows for completion evidence, latest arrival for freshness), built
 * from validated identifiers only. Values never appear in the text, only named parameters. The one
 * number written into the text is the sample limit, an int the library validated (0 to 1000),
 * because BigQuery requires a constant there.
 */
public final class Sql {
  private Sql() {}

  /** Name of the partition-value parameter, the only value parameter of these statements. */
  public static final String PARTITION_PARAM = "partition_value";

  private static String keyList(List<String> keys) {
    return keys.stream().map(Columns::quote).collect(Collectors.joining(", "));
  }

  private static String where(Optional<PartitionFilter> partition) {
    return partition
        .map(p -> "WHERE " + Columns.quote(p.column()) + " = @" + PARTITION_PARAM)
        .orElse("WHERE TRUE");
  }

  /**
   * The duplicate check: one scan of the key columns (and the partition column, for pruning), one
   * GROUP BY on the key, then one aggregate row. A {@code HAVING COUNT(*) > 1} would drop the
   * groups needed for the total row count, and a second query or CTE reference would scan twice, so
   * duplicates are selected inside the aggregate instead.
   */
  public static String duplicateCheck(
      TableRef table, List<String> keys, Optional<PartitionFilter> partition, int sampleLimit) {
    String k = keyList(keys);
    StringBuilder sql = new StringBuilder();
    sql.append("SELECT\n");
    sql.append("  COALESCE(SUM(row_count), 0) AS total_rows,\n");
    sql.append("  COUNTIF(row_count > 1) AS duplicate_keys,\n");
    sql.append("  COALESCE(SUM(row_count - 1), 0) AS excess_rows");
    if (sampleLimit > 0) {
      sql.append(",\n  ARRAY_AGG(IF(row_count > 1, STRUCT(STRUCT(")
          .append(k)
          .append(") AS sample_key, row_count), NULL) IGNORE NULLS ORDER BY row_count DESC LIMIT ")
          .append(Integer.toString(sampleLimit))
          .append(") AS samples");
    }
    sql.append("\nFROM (\n");
    sql.append("  SELECT ").append(k).append(", COUNT(*) AS row_count\n");
    sql.append("  FROM ").append(table.sql()).append('\n');
    sql.append("  ").append(where(partition)).append('\n');
    sql.append("  GROUP BY ").append(k).append('\n');
    sql.append(")");
    return sql.toString();
  }

  /**
   * Atomic partition replace: one MERGE deletes the partition's rows and inserts the staged rows.
   * BigQuery applies a MERGE as one transaction, so readers see the old partition or the new one.
   */
  public static String replacePartition(
      TableRef target, TableRef staging, PartitionFilter partition) {
    return "MERGE "
        + target.sql()
        + " AS target\n"
        + "USING "
        + staging.sql()
        + " AS source\n"
        + "ON FALSE\n"
        + "WHEN NOT MATCHED BY SOURCE AND target."
        + Columns.quote(partition.column())
        + " = @"
        + PARTITION_PARAM
        + " THEN DELETE\n"
        + "WHEN NOT MATCHED THEN INSERT ROW";
  }

  /**
   * Upsert by key from a staging table whose keys are unique (dedup ran first: MERGE fails when a
   * target row matches two source rows). Keys match with {@code IS NOT DISTINCT FROM} so NULL keys
   * match as they group. With a version column an older source row never overwrites a newer one.
   */
  public static String upsert(
      TableRef target,
      TableRef staging,
      List<String> keys,
      List<String> allColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition) {
    StringBuilder sql = new StringBuilder();
    sql.append("MERGE ").append(target.sql()).append(" AS target\n");
    sql.append("USING ").append(staging.sql()).append(" AS source\n");
    sql.append("ON ");
    partition.ifPresent(
        p ->
            sql.append("target.")
                .append(Columns.quote(p.column()))
                .append(" = @")
                .append(PARTITION_PARAM)
                .append(" AND "));
    sql.append(
        keys.stream()
            .map(
                c ->
                    "target."
                        + Columns.quote(c)
                        + " IS NOT DISTINCT FROM source."
                        + Columns.quote(c))
            .collect(Collectors.joining(" AND ")));
    sql.append('\n');
    List<String> nonKey =
        allColumns.stream()
            .filter(c -> keys.stream().noneMatch(k -> k.equalsIgnoreCase(c)))
            .collect(Collectors.toList());
    if (!nonKey.isEmpty()) {
      sql.append("WHEN MATCHED");
      versionColumn.ifPresent(
          v -> {
            String q = Columns.quote(v);
            sql.append(" AND (target.")
                .append(q)
                .append(" IS NULL OR source.")
                .append(q)
                .append(" >= target.")
                .append(q)
                .append(")");
          });
      sql.append(" THEN UPDATE SET ");
      sql.append(
          nonKey.stream()
              .map(c -> Columns.quote(c) + " = source." + Columns.quote(c))
              .collect(Collectors.joining(", ")));
      sql.append('\n');
    }
    sql.append("WHEN NOT MATCHED THEN INSERT ROW");
    return sql.toString();
  }

  /**
   * Duplicate cleanup in one atomic statement: the partition is rewritten from itself keeping one
   * row per key, chosen by the order column (then by the row's JSON text, so the choice is
   * deterministic even on ties).
   *
   * <p>Rows are grouped with {@code GROUP BY} on the key, the same grouping the duplicate check
   * counts with, so the cleanup removes exactly the rows the check reports: NULL keys form one
   * group, all NaNs one group, {@code 0.0} and {@code -0.0} one group. A window's {@code PARTITION
   * BY} would group the same way but BigQuery rejects FLOAT64 there ("Partitioning by expressions
   * of type FLOAT64 is not allowed"), and a FLOAT64 key is common ({@code line_value}). The kept
   * row is the whole original row ({@code ARRAY_AGG} of the row, first by the order, {@code LIMIT
   * 1}), so its key values are stored values, never a normalised form.
   */
  public static String cleanup(
      TableRef table,
      List<String> keys,
      Optional<PartitionFilter> partition,
      String orderColumn,
      boolean latest) {
    StringBuilder sql = new StringBuilder();
    sql.append("MERGE ").append(table.sql()).append(" AS target\n");
    sql.append("USING (\n");
    sql.append("  SELECT kept.* FROM (\n");
    sql.append("    SELECT ARRAY_AGG(kept_row ORDER BY ")
        .append(Columns.quote(orderColumn))
        .append(latest ? " DESC" : " ASC")
        .append(", TO_JSON_STRING(kept_row) LIMIT 1)[OFFSET(0)] AS kept\n");
    sql.append("    FROM ").append(table.sql()).append(" AS kept_row\n");
    sql.append("    ").append(where(partition)).append('\n');
    sql.append("    GROUP BY ").append(keyList(keys)).append('\n');
    sql.append("  )\n");
    sql.append(") AS source\n");
    sql.append("ON FALSE\n");
    sql.append("WHEN NOT MATCHED BY SOURCE");
    partition.ifPresent(
        p ->
            sql.append(" AND target.")
                .append(Columns.quote(p.column()))
                .append(" = @")
                .append(PARTITION_PARAM));
    sql.append(" THEN DELETE\n");
    sql.append("WHEN NOT MATCHED THEN INSERT ROW");
    return sql.toString();
  }

  /** The fencing token of the writer, INT64. */
  public static final String FENCE_TOKEN_PARAM = "fence_token";

  /** The name of the lock the token came from, STRING; stored beside the token for operators. */
  public static final String LOCK_NAME_PARAM = "lock_name";

  /** The fence row's key: the partition value as text, or '' for a whole-table write; STRING. */
  public static final String PARTITION_KEY_PARAM = "partition_key";

  /** The target table as text, STRING; only for the refusal messages. */
  public static final String TABLE_NAME_PARAM = "table_name";

  /** Rows the replace leaves in the partition (the staged rows), INT64. */
  public static final String NEW_ROWS_PARAM = "new_rows";

  /** The guard's smallest accepted ratio of new to current rows, FLOAT64. */
  public static final String MIN_FRACTION_PARAM = "min_fraction";

  /** Whether the guard refuses a replace that leaves no rows, BOOL. */
  public static final String REFUSE_EMPTY_PARAM = "refuse_empty";

  /** Start of the error the script raises for a stale token; {@link Refusals} parses it. */
  public static final String FENCE_REFUSAL = "pipeline-reliability fence:";

  /** Start of the error the script raises for partial data; {@link Refusals} parses it. */
  public static final String GUARD_REFUSAL = "pipeline-reliability guard:";

  /**
   * The fence table's DDL, for a one-time setup by hand; the writer creates the same table through
   * the API on first use. One row per partition ever written with a fence.
   */
  public static String fenceTableDdl(TableRef fenceTable) {
    return "CREATE TABLE IF NOT EXISTS "
        + fenceTable.sql()
        + " (\n"
        + "  `partition_key` STRING NOT NULL,\n"
        + "  `token` INT64 NOT NULL,\n"
        + "  `lock_name` STRING,\n"
        + "  `committed_at` TIMESTAMP NOT NULL\n"
        + ")";
  }

  /**
   * Wraps a data statement (the replace, upsert or cleanup MERGE) in one multi-statement
   * transaction that first refuses a stale fence and, for a guarded replace, partial data, then
   * applies the statement and advances the fence. A refusal is {@code ERROR(FORMAT(...))} inside
   * the SELECT that reads the fence (or counts the partition): it names the stored token and the
   * row counts, which an ASSERT's constant description cannot, and unlike IF ... RAISE (or a SET,
   * whose subquery the analyzer's toolkit cannot resolve tables in) it keeps every statement of the
   * script analyzable by GoogleSQL's analyzer. BigQuery rolls the whole transaction back when a
   * statement fails the script, so after a refusal nothing of the write is visible; and because
   * transactions run under snapshot isolation and abort at commit when another transaction changed
   * the same table first, a writer that read the fence before another committed cannot commit on
   * top of it ("Transaction is aborted due to concurrent update", retried by the writer).
   *
   * <p>Before the transaction, a fenced script makes sure the partition's fence row exists (an
   * INSERT of token 0 that commits on its own, only where the row is missing), so the fence MERGE
   * inside the transaction always updates a row. That is what makes two overlapping fenced commits
   * conflict: BigQuery cancels a transaction only when both it and another updated or deleted rows
   * of the same table; a transaction that only appends conflicts with nothing, and a MERGE whose
   * UPDATE and DELETE clauses are not invoked only appends (BigQuery's DML reference). Without the
   * initial fence row insert, the first two fenced writes of a new partition into an empty
   * partition (the data MERGE deletes nothing, the fence MERGE inserts the first row) would both
   * commit, a lower token on top of a higher one. Two such inserts that race leave two token-0 rows
   * for one key; the fence reads their MAX and the MERGE updates both, so that is harmless.
   *
   * <p>The fence advances with a MERGE after the data statement; the writer takes its DML
   * statistics from the first MERGE child job by creation time, which is the data statement.
   *
   * @param target the table the data statement changes
   * @param fenceTable the target's fence table, or empty for an unfenced write
   * @param guarded the partition to count for the partial-data guard, or empty for no guard
   * @param dataStatement the MERGE, without a trailing semicolon
   */
  public static String commitScript(
      TableRef target,
      Optional<TableRef> fenceTable,
      Optional<PartitionFilter> guarded,
      String dataStatement) {
    StringBuilder sql = new StringBuilder();
    fenceTable.ifPresent(
        f ->
            sql.append("INSERT INTO ")
                .append(f.sql())
                .append(" (`partition_key`, `token`, `lock_name`, `committed_at`)\n")
                .append("SELECT @")
                .append(PARTITION_KEY_PARAM)
                .append(", 0, NULL, CURRENT_TIMESTAMP()\n")
                .append("FROM (SELECT 1)\n")
                .append("WHERE NOT EXISTS (SELECT 1 FROM ")
                .append(f.sql())
                .append(" WHERE `partition_key` = @")
                .append(PARTITION_KEY_PARAM)
                .append(");\n"));
    sql.append("BEGIN TRANSACTION;\n");
    fenceTable.ifPresent(
        f ->
            sql.append("SELECT IF(\n")
                .append("    MAX(`token`) > @")
                .append(FENCE_TOKEN_PARAM)
                .append(",\n")
                .append("    ERROR(FORMAT(\n")
                .append("      '")
                .append(FENCE_REFUSAL)
                .append(" %s partition %s refused token %d, stored token %d',\n")
                .append("      @")
                .append(TABLE_NAME_PARAM)
                .append(", @")
                .append(PARTITION_KEY_PARAM)
                .append(", @")
                .append(FENCE_TOKEN_PARAM)
                .append(", MAX(`token`))),\n")
                .append("    MAX(`token`)) AS stored_token\n")
                .append("FROM ")
                .append(f.sql())
                .append(" WHERE `partition_key` = @")
                .append(PARTITION_KEY_PARAM)
                .append(";\n"));
    guarded.ifPresent(
        p ->
            sql.append("SELECT IF(\n")
                .append("    (@")
                .append(REFUSE_EMPTY_PARAM)
                .append(" AND @")
                .append(NEW_ROWS_PARAM)
                .append(" = 0) OR @")
                .append(NEW_ROWS_PARAM)
                .append(" < @")
                .append(MIN_FRACTION_PARAM)
                .append(" * COUNT(*),\n")
                .append("    ERROR(FORMAT(\n")
                .append("      '")
                .append(GUARD_REFUSAL)
                .append(" %s partition %s holds %d rows, the replace would leave %d',\n")
                .append("      @")
                .append(TABLE_NAME_PARAM)
                .append(", @")
                .append(PARTITION_KEY_PARAM)
                .append(", COUNT(*), @")
                .append(NEW_ROWS_PARAM)
                .append(")),\n")
                .append("    COUNT(*)) AS current_rows\n")
                .append("FROM ")
                .append(target.sql())
                .append(" WHERE ")
                .append(Columns.quote(p.column()))
                .append(" = @")
                .append(PARTITION_PARAM)
                .append(";\n"));
    sql.append(dataStatement).append(";\n");
    fenceTable.ifPresent(
        f ->
            sql.append("MERGE ")
                .append(f.sql())
                .append(" AS fence\n")
                .append("USING (SELECT @")
                .append(PARTITION_KEY_PARAM)
                .append(" AS `partition_key`) AS advance\n")
                .append("ON fence.`partition_key` = advance.`partition_key`\n")
                .append("WHEN MATCHED THEN UPDATE SET `token` = @")
                .append(FENCE_TOKEN_PARAM)
                .append(", `lock_name` = @")
                .append(LOCK_NAME_PARAM)
                .append(", `committed_at` = CURRENT_TIMESTAMP()\n")
                .append("WHEN NOT MATCHED THEN INSERT (`partition_key`, `token`, `lock_name`,")
                .append(" `committed_at`)\n")
                .append("  VALUES (@")
                .append(PARTITION_KEY_PARAM)
                .append(", @")
                .append(FENCE_TOKEN_PARAM)
                .append(", @")
                .append(LOCK_NAME_PARAM)
                .append(", CURRENT_TIMESTAMP());\n"));
    sql.append("COMMIT TRANSACTION;");
    return sql.toString();
  }

  /** The first date of a landed-rows count ({@link #landedRows}). */
  public static final String FROM_DATE_PARAM = "from_date";

  /** The last date of a landed-rows count ({@link #landedRows}). */
  public static final String TO_DATE_PARAM = "to_date";

  /** The date whose latest arrival is read ({@link #latestArrival}). */
  public static final String DATA_DATE_PARAM = "data_date";

  /**
   * Completion evidence: rows per date of one table over a date range, reading only the date column
   * (which, as the partition column, also prunes the scan to the range's partitions).
   */
  public static String landedRows(TableRef table, String dateColumn) {
    String d = Columns.quote(dateColumn);
    return "SELECT "
        + d
        + " AS landed_date, COUNT(*) AS row_count\n"
        + "FROM "
        + table.sql()
        + "\n"
        + "WHERE "
        + d
        + " BETWEEN @"
        + FROM_DATE_PARAM
        + " AND @"
        + TO_DATE_PARAM
        + "\n"
        + "GROUP BY landed_date";
  }

  /** Freshness: the latest load time among one date's rows (one aggregate row, NULL when none). */
  public static String latestArrival(TableRef table, String dateColumn, String loadedAtColumn) {
    return "SELECT MAX("
        + Columns.quote(loadedAtColumn)
        + ") AS latest_arrival\nFROM "
        + table.sql()
        + "\nWHERE "
        + Columns.quote(dateColumn)
        + " = @"
        + DATA_DATE_PARAM;
  }
}
