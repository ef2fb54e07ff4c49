package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exact text of every statement the module sends. A change here is a reviewed change. */
class SqlGoldenTest {
  private static final TableRef TABLE = TableRef.parse("my-project.ds.grading");
  private static final TableRef STAGING = TABLE.sibling("grading_staging_0a1b2c3d4e5f");
  private static final PartitionFilter DAY =
      new PartitionFilter("game_date", LocalDate.of(2026, 11, 23));
  private static final List<String> KEY =
      List.of("player_lookup", "game_id", "system_id", "line_value");

  @Test
  void duplicateCheckReadsKeyColumnsUnderBoundPartitionFilter() {
    DuplicateCheck check =
        DuplicateCheck.of("my-project.ds.grading", KEY)
            .inPartition("game_date", LocalDate.of(2026, 11, 23))
            .withSampleLimit(5);

    assertThat(BigQueryDuplicateValidator.sql(check))
        .isEqualTo(
            """
            SELECT
              COALESCE(SUM(row_count), 0) AS total_rows,
              COUNTIF(row_count > 1) AS duplicate_keys,
              COALESCE(SUM(row_count - 1), 0) AS excess_rows,
              ARRAY_AGG(IF(row_count > 1, STRUCT(STRUCT(`player_lookup`, `game_id`, `system_id`, \
            `line_value`) AS sample_key, row_count), NULL) IGNORE NULLS ORDER BY row_count DESC \
            LIMIT 5) AS samples
            FROM (
              SELECT `player_lookup`, `game_id`, `system_id`, `line_value`, COUNT(*) AS row_count
              FROM `my-project`.`ds`.`grading`
              WHERE `game_date` = @partition_value
              GROUP BY `player_lookup`, `game_id`, `system_id`, `line_value`
            )""");
  }

  @Test
  void duplicateCheckOfWholeTableWithoutSamples() {
    DuplicateCheck check = DuplicateCheck.of("ds.t", List.of("id")).withSampleLimit(0);

    assertThat(BigQueryDuplicateValidator.sql(check))
        .isEqualTo(
            """
            SELECT
              COALESCE(SUM(row_count), 0) AS total_rows,
              COUNTIF(row_count > 1) AS duplicate_keys,
              COALESCE(SUM(row_count - 1), 0) AS excess_rows
            FROM (
              SELECT `id`, COUNT(*) AS row_count
              FROM `ds`.`t`
              WHERE TRUE
              GROUP BY `id`
            )""");
  }

  @Test
  void partitionReplaceIsOneMergeOnFalse() {
    assertThat(Sql.replacePartition(TABLE, STAGING, DAY))
        .isEqualTo(
            """
            MERGE `my-project`.`ds`.`grading` AS target
            USING `my-project`.`ds`.`grading_staging_0a1b2c3d4e5f` AS source
            ON FALSE
            WHEN NOT MATCHED BY SOURCE AND target.`game_date` = @partition_value THEN DELETE
            WHEN NOT MATCHED THEN INSERT ROW""");
  }

  @Test
  void upsertMatchesNullSafeOnKeysAndNeverOverwritesNewerVersion() {
    assertThat(
            Sql.upsert(
                TABLE,
                STAGING,
                List.of("game_id", "player_lookup"),
                List.of("game_date", "game_id", "player_lookup", "points", "processed_at"),
                Optional.of("processed_at"),
                Optional.of(DAY)))
        .isEqualTo(
            """
            MERGE `my-project`.`ds`.`grading` AS target
            USING `my-project`.`ds`.`grading_staging_0a1b2c3d4e5f` AS source
            ON target.`game_date` = @partition_value AND target.`game_id` IS NOT DISTINCT FROM \
            source.`game_id` AND target.`player_lookup` IS NOT DISTINCT FROM source.`player_lookup`
            WHEN MATCHED AND (target.`processed_at` IS NULL OR source.`processed_at` >= \
            target.`processed_at`) THEN UPDATE SET `game_date` = source.`game_date`, `points` = \
            source.`points`, `processed_at` = source.`processed_at`
            WHEN NOT MATCHED THEN INSERT ROW""");
  }

  @Test
  void upsertOfKeyOnlyTableOnlyInserts() {
    assertThat(
            Sql.upsert(
                TABLE, STAGING, List.of("id"), List.of("ID"), Optional.empty(), Optional.empty()))
        .isEqualTo(
            """
            MERGE `my-project`.`ds`.`grading` AS target
            USING `my-project`.`ds`.`grading_staging_0a1b2c3d4e5f` AS source
            ON target.`id` IS NOT DISTINCT FROM source.`id`
            WHEN NOT MATCHED THEN INSERT ROW""");
  }

  @Test
  void cleanupGroupsByTheKeyAsTheCheckDoesAndKeepsTheLatestWholeRow() {
    DuplicateCheck check =
        DuplicateCheck.of("my-project.ds.grading", KEY)
            .inPartition("game_date", LocalDate.of(2026, 11, 23));

    assertThat(BigQueryWriter.cleanupSql(check, Keep.latestBy("processed_at")))
        .isEqualTo(
            """
            MERGE `my-project`.`ds`.`grading` AS target
            USING (
              SELECT kept.* FROM (
                SELECT ARRAY_AGG(kept_row ORDER BY `processed_at` DESC, TO_JSON_STRING(kept_row) \
            LIMIT 1)[OFFSET(0)] AS kept
                FROM `my-project`.`ds`.`grading` AS kept_row
                WHERE `game_date` = @partition_value
                GROUP BY `player_lookup`, `game_id`, `system_id`, `line_value`
              )
            ) AS source
            ON FALSE
            WHEN NOT MATCHED BY SOURCE AND target.`game_date` = @partition_value THEN DELETE
            WHEN NOT MATCHED THEN INSERT ROW""");
  }

  @Test
  void cleanupOfWholeTableKeepingFirst() {
    DuplicateCheck check = DuplicateCheck.of("ds.t", List.of("id"));

    assertThat(BigQueryWriter.cleanupSql(check, Keep.firstBy("loaded_at")))
        .isEqualTo(
            """
            MERGE `ds`.`t` AS target
            USING (
              SELECT kept.* FROM (
                SELECT ARRAY_AGG(kept_row ORDER BY `loaded_at` ASC, TO_JSON_STRING(kept_row) \
            LIMIT 1)[OFFSET(0)] AS kept
                FROM `ds`.`t` AS kept_row
                WHERE TRUE
                GROUP BY `id`
              )
            ) AS source
            ON FALSE
            WHEN NOT MATCHED BY SOURCE THEN DELETE
            WHEN NOT MATCHED THEN INSERT ROW""");
  }

  @Test
  void fencedGuardedReplaceIsOneTransactionThatChecksThenMergesThenAdvancesTheFence() {
    String merge = Sql.replacePartition(TABLE, STAGING, DAY);

    assertThat(
            Sql.commitScript(
                TABLE, Optional.of(TABLE.sibling("grading__fence")), Optional.of(DAY), merge))
        .isEqualTo(
            """
            INSERT INTO `my-project`.`ds`.`grading__fence` (`partition_key`, `token`, `lock_name`, \
            `committed_at`)
            SELECT @partition_key, 0, NULL, CURRENT_TIMESTAMP()
            FROM (SELECT 1)
            WHERE NOT EXISTS (SELECT 1 FROM `my-project`.`ds`.`grading__fence` WHERE `partition_key` \
            = @partition_key);
            BEGIN TRANSACTION;
            SELECT IF(
                MAX(`token`) > @fence_token,
                ERROR(FORMAT(
                  'pipeline-reliability fence: %s partition %s refused token %d, stored token %d',
                  @table_name, @partition_key, @fence_token, MAX(`token`))),
                MAX(`token`)) AS stored_token
            FROM `my-project`.`ds`.`grading__fence` WHERE `partition_key` = @partition_key;
            SELECT IF(
                (@refuse_empty AND @new_rows = 0) OR @new_rows < @min_fraction * COUNT(*),
                ERROR(FORMAT(
                  'pipeline-reliability guard: %s partition %s holds %d rows, the replace would \
            leave %d',
                  @table_name, @partition_key, COUNT(*), @new_rows)),
                COUNT(*)) AS current_rows
            FROM `my-project`.`ds`.`grading` WHERE `game_date` = @partition_value;
            """
                + merge
                + """
            ;
            MERGE `my-project`.`ds`.`grading__fence` AS fence
            USING (SELECT @partition_key AS `partition_key`) AS advance
            ON fence.`partition_key` = advance.`partition_key`
            WHEN MATCHED THEN UPDATE SET `token` = @fence_token, `lock_name` = @lock_name, \
            `committed_at` = CURRENT_TIMESTAMP()
            WHEN NOT MATCHED THEN INSERT (`partition_key`, `token`, `lock_name`, `committed_at`)
              VALUES (@partition_key, @fence_token, @lock_name, CURRENT_TIMESTAMP());
            COMMIT TRANSACTION;""");
  }

  @Test
  void unfencedGuardedReplaceCountsInTheTransactionWithoutFenceStatements() {
    String merge = Sql.replacePartition(TABLE, STAGING, DAY);

    String script = Sql.commitScript(TABLE, Optional.empty(), Optional.of(DAY), merge);

    assertThat(script)
        .startsWith("BEGIN TRANSACTION;\nSELECT IF(\n    (@refuse_empty")
        .endsWith(merge + ";\nCOMMIT TRANSACTION;")
        .doesNotContain("fence", "stored_token");
  }

  @Test
  void fenceTableDdlMatchesTheSchemaTheWriterCreates() {
    assertThat(BigQueryWriter.fenceTableDdl("my-project.ds.grading"))
        .isEqualTo(
            """
            CREATE TABLE IF NOT EXISTS `my-project`.`ds`.`grading__fence` (
              `partition_key` STRING NOT NULL,
              `token` INT64 NOT NULL,
              `lock_name` STRING,
              `committed_at` TIMESTAMP NOT NULL
            )""");
  }
}
