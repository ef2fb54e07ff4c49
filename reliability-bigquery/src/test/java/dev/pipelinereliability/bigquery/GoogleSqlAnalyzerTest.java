package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.zetasql.toolkit.AnalysisException;
import dev.pipelinereliability.bigquery.EmittedStatements.Emitted;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.PartitionFilter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement the module emits ({@link EmittedStatements#all()}) goes through GoogleSQL's
 * analyzer in BigQuery mode against tables with keys of every common type, with its parameters
 * declared at the types the library binds. The negative controls show the analyzer rejects what
 * BigQuery rejects, so a pass here means something.
 */
class GoogleSqlAnalyzerTest {
  private static GoogleSqlAnalyzer analyzer;

  @BeforeAll
  static void loadAnalyzer() {
    Optional<String> unsupported = GoogleSqlAnalyzer.unsupportedPlatform();
    unsupported.ifPresent(why -> System.out.println("SKIPPED GoogleSqlAnalyzerTest: " + why));
    Assumptions.assumeTrue(unsupported.isEmpty(), () -> unsupported.orElse(""));
    analyzer = new GoogleSqlAnalyzer(EmittedStatements.PROJECT, EmittedStatements.catalog());
  }

  static List<Emitted> emitted() {
    return EmittedStatements.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emitted")
  void everyEmittedStatementPassesGoogleSqlAnalysis(Emitted statement) {
    List<String> kinds = analyzer.analyze(statement.sql(), statement.parameters());

    assertThat(kinds).as(statement.sql()).isNotEmpty();
  }

  @Test
  void everySqlBuilderHasAnalyzedStatements() {
    Set<String> covered =
        EmittedStatements.all().stream().map(Emitted::builder).collect(Collectors.toSet());
    List<String> builders =
        Arrays.stream(Sql.class.getDeclaredMethods())
            .filter(m -> Modifier.isStatic(m.getModifiers()))
            .filter(m -> !Modifier.isPrivate(m.getModifiers()))
            .filter(m -> m.getReturnType() == String.class)
            .map(Method::getName)
            .map(name -> "Sql." + name)
            .toList();

    assertThat(builders).isNotEmpty();
    for (String builder : builders) {
      assertThat(covered).anyMatch(b -> b.equals(builder) || b.startsWith(builder + " via "));
    }
  }

  @Test
  void cleanupIsAcceptedForEveryKeyTypeIncludingFloat64() {
    Set<String> keyColumnsWithCleanup =
        EmittedStatements.all().stream()
            .filter(s -> s.builder().startsWith("Sql.cleanup "))
            .map(Emitted::variant)
            .collect(Collectors.toSet());

    for (String column : EmittedStatements.KEY_COLUMNS.values()) {
      assertThat(keyColumnsWithCleanup).anyMatch(v -> v.startsWith("[" + column + "]"));
    }
  }

  /**
   * The cleanup statement the module sent before GROUP BY replaced the window, on the seed grading
   * table, whose key includes {@code line_value FLOAT64}. BigQuery rejected it in production with
   * this same message.
   */
  static final String PRE_FIX_CLEANUP_WITH_FLOAT64_KEY =
      """
      MERGE `my-project`.`nba_predictions`.`prediction_accuracy` AS target
      USING (
        SELECT * FROM `my-project`.`nba_predictions`.`prediction_accuracy` AS kept_row
        WHERE `game_date` = @partition_value
        QUALIFY ROW_NUMBER() OVER (PARTITION BY `player_lookup`, `game_id`, `system_id`, \
      `line_value` ORDER BY `graded_at` DESC, TO_JSON_STRING(kept_row)) = 1
      ) AS source
      ON FALSE
      WHEN NOT MATCHED BY SOURCE AND target.`game_date` = @partition_value THEN DELETE
      WHEN NOT MATCHED THEN INSERT ROW""";

  @Test
  void windowPartitionedByAFloat64KeyIsRejectedAsBigQueryRejectsIt() {
    assertThatThrownBy(
            () ->
                analyzer.analyze(
                    PRE_FIX_CLEANUP_WITH_FLOAT64_KEY,
                    Map.of(Sql.PARTITION_PARAM, StandardSQLTypeName.DATE)))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("Partitioning by expressions of type FLOAT64 is not allowed")
        .satisfies(e -> System.out.println("Rejected as expected: " + e.getMessage()));
  }

  @Test
  void partitionParameterOfAnotherTypeThanTheColumnIsRejected() {
    TableRef target = TableRef.parse(EmittedStatements.TYPED);
    String sql =
        Sql.replacePartition(
            target,
            target.sibling(target.table() + EmittedStatements.STAGING_SUFFIX),
            new PartitionFilter("game_date", 20261123L));

    assertThatThrownBy(
            () ->
                analyzer.analyze(
                    sql, Map.of(Sql.PARTITION_PARAM, Parameters.of(20261123L).getType())))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("No matching signature for operator =");
  }

  @Test
  void undeclaredParameterIsRejected() {
    String sql =
        EmittedStatements.all().stream()
            .filter(s -> s.parameters().containsKey(Sql.PARTITION_PARAM))
            .findFirst()
            .orElseThrow()
            .sql();

    assertThat(sql).contains("@" + Sql.PARTITION_PARAM);
    assertThatThrownBy(() -> analyzer.analyze(sql, Map.of()))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("Query parameter '" + Sql.PARTITION_PARAM + "' not found");
  }

  @Test
  void insertRowFromASourceWithFewerColumnsIsRejected() {
    String sql =
        """
        MERGE `ds`.`typed` AS target
        USING (SELECT `k_int64` FROM `ds`.`typed`) AS source
        ON FALSE
        WHEN NOT MATCHED THEN INSERT ROW""";

    assertThatThrownBy(() -> analyzer.analyze(sql, Map.of()))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("Inserted row has wrong column count");
  }

  @Test
  void unknownColumnIsRejected() {
    assertThatThrownBy(
            () -> analyzer.analyze("SELECT `no_such_column` FROM `ds`.`typed`", Map.of()))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("Unrecognized name: no_such_column");
  }

  /** A script in the shape of a fenced commit: variables, IF ... RAISE, then the data statement. */
  private static String script(String condition, String message, String dataStatement) {
    return """
        DECLARE stored INT64;
        BEGIN TRANSACTION;
        SET stored = (SELECT MAX(`points`) FROM `ds`.`typed` WHERE `game_date` = @day);
        IF %s THEN
          RAISE USING MESSAGE = %s;
        END IF;
        %s;
        COMMIT TRANSACTION;"""
        .formatted(condition, message, dataStatement);
  }

  private static final Map<String, StandardSQLTypeName> SCRIPT_PARAMS =
      Map.of("day", StandardSQLTypeName.DATE, "token", StandardSQLTypeName.INT64);

  @Test
  void aScriptIsAnalyzedStatementByStatementIncludingAfterAnIf() {
    List<String> kinds =
        analyzer.analyze(
            script(
                "stored > @token",
                "FORMAT('stale: %d > %d', stored, @token)",
                "DELETE FROM `ds`.`typed` WHERE `game_date` = @day"),
            SCRIPT_PARAMS);

    assertThat(kinds)
        .containsExactly(
            "ASTVariableDeclaration",
            "BeginStmt",
            "SingleAssignment",
            "IfStatement",
            "RaiseStatement",
            "DeleteStmt",
            "CommitStmt");
  }

  @Test
  void aBadStatementAfterAnIfIsRejected() {
    assertThatThrownBy(
            () ->
                analyzer.analyze(
                    script(
                        "stored > @token",
                        "'stale'",
                        "DELETE FROM `ds`.`typed` WHERE `no_such_column` = @day"),
                    SCRIPT_PARAMS))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("Unrecognized name: no_such_column");
  }

  @Test
  void anIfConditionThatIsNotBoolIsRejected() {
    assertThatThrownBy(
            () -> analyzer.analyze(script("stored", "'stale'", "SELECT 1"), SCRIPT_PARAMS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("IF condition is INT64");
  }

  @Test
  void aRaiseMessageThatIsNotAStringIsRejected() {
    assertThatThrownBy(
            () -> analyzer.analyze(script("stored > @token", "stored", "SELECT 1"), SCRIPT_PARAMS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("RAISE message is INT64");
  }

  @Test
  void aSetOfAValueThatDoesNotCoerceToTheVariableIsRejected() {
    String widening =
        """
        DECLARE stored FLOAT64;
        SET stored = (SELECT MAX(`points`) FROM `ds`.`typed`);""";
    String narrowing =
        """
        DECLARE stored INT64;
        SET stored = (SELECT MAX(`k_float64`) FROM `ds`.`typed`);""";
    String unrelated =
        """
        DECLARE stored INT64;
        SET stored = (SELECT MAX(`payload`) FROM `ds`.`typed`);""";

    assertThat(analyzer.analyze(widening, Map.of()))
        .containsExactly("ASTVariableDeclaration", "SingleAssignment");
    assertThatThrownBy(() -> analyzer.analyze(narrowing, Map.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot be assigned to a INT64");
    assertThatThrownBy(() -> analyzer.analyze(unrelated, Map.of()))
        .isInstanceOf(AnalysisException.class);
  }

  @Test
  void aScriptStatementTheHelperDoesNotCheckFailsInsteadOfPassing() {
    String sql =
        """
        WHILE TRUE DO
          SELECT `no_such_column` FROM `ds`.`typed`;
        END WHILE;""";

    assertThatThrownBy(() -> analyzer.analyze(sql, Map.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is not checked by this analyzer helper");
  }
}
