package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.PreparedQuery;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.TableContent;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.Value;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.DuplicateCheck;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the cleanup keeps, evaluated on data by GoogleSQL's reference implementation (the ZetaSQL
 * evaluator, the executable form of the language's semantics; not BigQuery's engine). The rows hold
 * the keys where grouping is subtle: {@code 0.0} and {@code -0.0}, two NaNs, two NULLs, a tie on
 * the order column. The duplicate check's production text counts them, the cleanup's production
 * text picks the kept rows, and the check then finds none left.
 *
 * <p>The evaluator has no MERGE, so the test evaluates the cleanup's {@code USING} query (the rows
 * the MERGE inserts) and applies {@code ON FALSE ... NOT MATCHED BY SOURCE AND <partition> THEN
 * DELETE ... NOT MATCHED THEN INSERT ROW} itself: rows outside the partition stay, the partition
 * becomes the kept rows. The evaluator finds only tables registered at the catalog's root, so the
 * quoted path {@code `ds`.`grading`} is rewritten to the one identifier {@code `ds.grading`}, as
 * the analyzer toolkit does.
 */
class CleanupReferenceSemanticsTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final String TABLE = "ds.grading";
  private static final List<String> KEY = List.of("player_lookup", "line_value");
  private static final Type STRING = TypeFactory.createSimpleType(TypeKind.TYPE_STRING);
  private static final Type DOUBLE = TypeFactory.createSimpleType(TypeKind.TYPE_DOUBLE);
  private static final Type DATE = TypeFactory.createSimpleType(TypeKind.TYPE_DATE);
  private static final Type TIMESTAMP = TypeFactory.createSimpleType(TypeKind.TYPE_TIMESTAMP);
  private static final int NOTE = 4;

  @BeforeAll
  static void requireNativeLibrary() {
    Optional<String> unsupported = GoogleSqlAnalyzer.unsupportedPlatform();
    unsupported.ifPresent(
        why -> System.out.println("SKIPPED CleanupReferenceSemanticsTest: " + why));
    Assumptions.assumeTrue(unsupported.isEmpty(), () -> unsupported.orElse(""));
  }

  private static List<Value> row(
      String player,
      @Nullable Double line,
      LocalDate day,
      @Nullable Instant gradedAt,
      String note) {
    return Arrays.asList(
        Value.createStringValue(player),
        line == null ? Value.createNullValue(DOUBLE) : Value.createDoubleValue(line),
        Value.createDateValue(day),
        gradedAt == null
            ? Value.createNullValue(TIMESTAMP)
            : Value.createTimestampValueFromUnixMicros(gradedAt.toEpochMilli() * 1_000),
        Value.createStringValue(note));
  }

  private static final Instant T1 = Instant.parse("2026-11-24T06:00:00Z");
  private static final Instant T2 = T1.plusSeconds(60);
  private static final Instant T3 = T2.plusSeconds(60);

  /** Nine rows in the day's partition under five keys, and one row of the day before. */
  private static final List<List<Value>> ROWS =
      List.of(
          row("a", 0.0, DAY, T1, "zero-older"),
          row("a", -0.0, DAY, T2, "negative-zero-newer"),
          row("a", Double.NaN, DAY, T1, "nan-older"),
          row("a", Double.NaN, DAY, T3, "nan-newer"),
          row("a", null, DAY, T1, "null-graded"),
          row("a", null, DAY, null, "null-never-graded"),
          row("a", 1.5, DAY, T2, "tie-b"),
          row("a", 1.5, DAY, T2, "tie-a"),
          row("b", 2.0, DAY, T1, "unique"),
          row("a", 0.0, DAY.minusDays(1), T1, "other-day"));

  private static List<List<Value>> evaluate(String productionSql, List<List<Value>> contents) {
    SimpleCatalog catalog = new SimpleCatalog("catalog");
    catalog.addZetaSQLFunctionsAndTypes(
        new ZetaSQLBuiltinFunctionOptions(BigQueryLanguageOptions.get()));
    catalog.addSimpleTable(
        new SimpleTable(
            TABLE,
            List.of(
                new SimpleColumn(TABLE, "player_lookup", STRING),
                new SimpleColumn(TABLE, "line_value", DOUBLE),
                new SimpleColumn(TABLE, "game_date", DATE),
                new SimpleColumn(TABLE, "graded_at", TIMESTAMP),
                new SimpleColumn(TABLE, "note", STRING))));
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    options.addQueryParameter(
        Sql.PARTITION_PARAM, GoogleSqlAnalyzer.zetaType(Parameters.of(DAY).getType()));
    String sql = productionSql.replace(TableRef.parse(TABLE).sql(), "`" + TABLE + "`");
    try (PreparedQuery query =
        PreparedQuery.builder()
            .setSql(sql)
            .setAnalyzerOptions(options)
            .setCatalog(catalog)
            .setTablesContents(Map.of(TABLE, TableContent.create(contents)))
            .prepare()) {
      return new ArrayList<>(
          query.execute(Map.of(Sql.PARTITION_PARAM, Value.createDateValue(DAY))).getTableData());
    }
  }

  private static List<Long> duplicateCheck(List<List<Value>> contents) {
    String sql =
        BigQueryDuplicateValidator.sql(
            DuplicateCheck.of(TABLE, KEY).inPartition("game_date", DAY).withSampleLimit(0));
    List<Value> only = evaluate(sql, contents).get(0);
    return List.of(
        only.get(0).getInt64Value(), only.get(1).getInt64Value(), only.get(2).getInt64Value());
  }

  /** The table after the cleanup's MERGE: rows outside the partition, then the kept rows. */
  private static List<List<Value>> afterCleanup(Keep keep) {
    String merge =
        BigQueryWriter.cleanupSql(
            DuplicateCheck.of(TABLE, KEY).inPartition("game_date", DAY), keep);
    int from = merge.indexOf("USING (\n") + "USING (\n".length();
    int to = merge.indexOf("\n) AS source\nON FALSE\n");
    assertThat(from).isGreaterThan("USING (\n".length());
    assertThat(to).isGreaterThan(from);
    assertThat(merge.substring(to))
        .contains(
            "WHEN NOT MATCHED BY SOURCE AND target.`game_date` = @partition_value THEN DELETE")
        .endsWith("WHEN NOT MATCHED THEN INSERT ROW");
    List<List<Value>> table = new ArrayList<>();
    for (List<Value> r : ROWS) {
      if (!r.get(2).equals(Value.createDateValue(DAY))) {
        table.add(r);
      }
    }
    table.addAll(evaluate(merge.substring(from, to), ROWS));
    return table;
  }

  private static List<String> notes(List<List<Value>> rows) {
    return rows.stream().map(r -> r.get(NOTE).getStringValue()).sorted().toList();
  }

  @Test
  void theCheckGroupsZerosNaNsAndNullsEachAsOneKey() {
    // total rows, duplicate keys, excess rows: 9 rows under 5 keys in the partition
    assertThat(duplicateCheck(ROWS)).containsExactly(9L, 4L, 4L);
  }

  @Test
  void cleanupKeepingLatestLeavesOneRowPerKeyAndTheCheckFindsNoneLeft() {
    List<List<Value>> after = afterCleanup(Keep.latestBy("graded_at"));

    assertThat(notes(after))
        .containsExactlyInAnyOrder(
            "negative-zero-newer", "nan-newer", "null-graded", "tie-a", "unique", "other-day");
    assertThat(duplicateCheck(after)).containsExactly(5L, 0L, 0L);
  }

  @Test
  void cleanupKeepingFirstPutsNullOrderValuesFirstAndBreaksTiesTheSameWay() {
    List<List<Value>> after = afterCleanup(Keep.firstBy("graded_at"));

    assertThat(notes(after))
        .containsExactlyInAnyOrder(
            "zero-older", "nan-older", "null-never-graded", "tie-a", "unique", "other-day");
    assertThat(duplicateCheck(after)).containsExactly(5L, 0L, 0L);
  }

  @Test
  void keptRowsAreStoredRowsUnchanged() {
    List<List<Value>> after = afterCleanup(Keep.latestBy("graded_at"));

    for (List<Value> kept : after) {
      assertThat(ROWS).anyMatch(original -> original.toString().equals(kept.toString()));
    }
    assertThat(after)
        .filteredOn(r -> r.get(NOTE).getStringValue().equals("negative-zero-newer"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(Double.doubleToRawLongBits(r.get(1).getDoubleValue()))
                    .isEqualTo(Double.doubleToRawLongBits(-0.0)));
  }
}
