package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.pipelinereliability.bigquery.GoogleSqlAnalyzer.CatalogTable;
import dev.pipelinereliability.bigquery.health.BigQueryArrivalSource;
import dev.pipelinereliability.bigquery.internal.Parameters;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every statement and script text the module sends to BigQuery, built by the production code (the
 * builders the writer calls, or the read paths themselves through a client that records the query
 * instead of sending it), with the query parameters typed exactly as the library binds them. {@link
 * GoogleSqlAnalyzerTest} analyzes each one.
 *
 * <p>To add a statement: add its cases in {@link #all()} (with {@link #statement} when its
 * parameters are more than the partition value), and any table it reads or writes in {@link
 * #catalog()}. Scripts (DECLARE, SET, BEGIN TRANSACTION, IF ... RAISE, COMMIT) are analyzed
 * statement by statement, including the statements inside and after an IF.
 */
final class EmittedStatements {
  private EmittedStatements() {}

  /**
   * One statement as the module sends it.
   *
   * @param builder the production method that built the text, as {@code Sql.<method>} and the
   *     public path that calls it (for example {@code Sql.cleanup via BigQueryWriter.cleanupSql})
   * @param variant what this instance exercises (key type, partition, options)
   * @param sql the text
   * @param parameters each named parameter and the type the library binds it with
   */
  record Emitted(
      String builder, String variant, String sql, Map<String, StandardSQLTypeName> parameters) {
    @Override
    public String toString() {
      return builder + " [" + variant + "]";
    }
  }

  static final String PROJECT = "my-project";

  /** A key column of every type a business key commonly has, all nullable. */
  static final Map<StandardSQLTypeName, String> KEY_COLUMNS = keyColumns();

  static final String TYPED = "my-project.ds.typed";
  static final String GRADING = "my-project.nba_predictions.prediction_accuracy";
  static final String KEY_ONLY = "ds.key_only";
  static final String STAGING_SUFFIX = "_staging_0a1b2c3d4e5f";

  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final Instant HOUR = Instant.parse("2026-11-23T06:00:00Z");

  /** The partitions a statement can be limited to: none, a DATE column, a TIMESTAMP column. */
  private static final List<Optional<PartitionFilter>> PARTITIONS =
      List.of(
          Optional.empty(),
          Optional.of(new PartitionFilter("game_date", DAY)),
          Optional.of(new PartitionFilter("event_time", HOUR)));

  private static Map<StandardSQLTypeName, String> keyColumns() {
    Map<StandardSQLTypeName, String> m = new LinkedHashMap<>();
    for (StandardSQLTypeName t :
        List.of(
            StandardSQLTypeName.STRING,
            StandardSQLTypeName.INT64,
            StandardSQLTypeName.FLOAT64,
            StandardSQLTypeName.NUMERIC,
            StandardSQLTypeName.BOOL,
            StandardSQLTypeName.DATE,
            StandardSQLTypeName.TIMESTAMP)) {
      m.put(t, "k_" + t.name().toLowerCase(java.util.Locale.ROOT));
    }
    return Map.copyOf(m);
  }

  private static Field nullable(String name, StandardSQLTypeName type) {
    return Field.newBuilder(name, type).setMode(Field.Mode.NULLABLE).build();
  }

  /** The tables every statement is analyzed against, with their staging twins. */
  static List<CatalogTable> catalog() {
    List<Field> typed = new ArrayList<>();
    keyColumns().entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> typed.add(nullable(e.getValue(), e.getKey())));
    typed.add(nullable("game_date", StandardSQLTypeName.DATE));
    typed.add(nullable("event_time", StandardSQLTypeName.TIMESTAMP));
    typed.add(nullable("processed_at", StandardSQLTypeName.TIMESTAMP));
    typed.add(nullable("payload", StandardSQLTypeName.STRING));
    typed.add(nullable("points", StandardSQLTypeName.INT64));
    List<Field> grading =
        List.of(
            nullable("player_lookup", StandardSQLTypeName.STRING),
            nullable("game_id", StandardSQLTypeName.STRING),
            nullable("system_id", StandardSQLTypeName.INT64),
            nullable("line_value", StandardSQLTypeName.FLOAT64),
            nullable("game_date", StandardSQLTypeName.DATE),
            nullable("predicted_points", StandardSQLTypeName.FLOAT64),
            nullable("actual_points", StandardSQLTypeName.INT64),
            nullable("graded_at", StandardSQLTypeName.TIMESTAMP));
    List<Field> keyOnly = List.of(nullable("id", StandardSQLTypeName.INT64));
    List<CatalogTable> tables = new ArrayList<>();
    for (Map.Entry<String, List<Field>> t :
        Map.of(TYPED, typed, GRADING, grading, PROJECT + "." + KEY_ONLY, keyOnly).entrySet()) {
      tables.add(new CatalogTable(t.getKey(), t.getValue()));
      tables.add(new CatalogTable(t.getKey() + STAGING_SUFFIX, t.getValue()));
      tables.add(
          new CatalogTable(
              t.getKey() + BigQueryWriter.FENCE_TABLE_SUFFIX,
              List.of(
                  Field.newBuilder("partition_key", StandardSQLTypeName.STRING)
                      .setMode(Field.Mode.REQUIRED)
                      .build(),
                  Field.newBuilder("token", StandardSQLTypeName.INT64)
                      .setMode(Field.Mode.REQUIRED)
                      .build(),
                  nullable("lock_name", StandardSQLTypeName.STRING),
                  Field.newBuilder("committed_at", StandardSQLTypeName.TIMESTAMP)
                      .setMode(Field.Mode.REQUIRED)
                      .build())));
    }
    return tables;
  }

  private static List<String> columnsOf(String table) {
    String full = table.startsWith(PROJECT + ".") ? table : PROJECT + "." + table;
    return catalog().stream()
        .filter(t -> t.fullName().equals(full))
        .findFirst()
        .orElseThrow()
        .fields()
        .stream()
        .map(Field::getName)
        .toList();
  }

  /** The module's statements. Add every new statement or script text here. */
  static List<Emitted> all() {
    List<Emitted> all = new ArrayList<>();
    List<List<String>> keys = new ArrayList<>();
    KEY_COLUMNS.values().stream().sorted().forEach(k -> keys.add(List.of(k)));
    keys.add(KEY_COLUMNS.values().stream().sorted().toList());
    List<String> gradingKey = List.of("player_lookup", "game_id", "system_id", "line_value");

    // Duplicate check, as validate() sends it.
    for (List<String> key : keys) {
      for (Optional<PartitionFilter> p : PARTITIONS) {
        for (int samples : new int[] {0, 5}) {
          DuplicateCheck check = check(TYPED, key, p).withSampleLimit(samples);
          all.add(
              sent(
                  "Sql.duplicateCheck via BigQueryDuplicateValidator.validate",
                  key + " " + describe(p) + " samples=" + samples,
                  bq -> BigQueryDuplicateValidator.create(bq).validate(check)));
        }
      }
    }
    all.add(
        sent(
            "Sql.duplicateCheck via BigQueryDuplicateValidator.validate",
            "grading key, game_date, samples=20",
            bq ->
                BigQueryDuplicateValidator.create(bq)
                    .validate(
                        DuplicateCheck.of(GRADING, gradingKey)
                            .inPartition("game_date", DAY)
                            .withSampleLimit(20))));

    // Atomic partition replace.
    for (Optional<PartitionFilter> p : PARTITIONS) {
      p.ifPresent(
          partition -> {
            TableRef target = TableRef.parse(TYPED);
            all.add(
                built(
                    "Sql.replacePartition",
                    describe(p),
                    Sql.replacePartition(target, staging(target), partition),
                    p));
          });
    }
    TableRef grading = TableRef.parse(GRADING);
    Optional<PartitionFilter> gradingDay = Optional.of(new PartitionFilter("game_date", DAY));
    all.add(
        built(
            "Sql.replacePartition",
            "grading, game_date",
            Sql.replacePartition(grading, staging(grading), gradingDay.get()),
            gradingDay));

    // Upsert by key, with and without a version column and a partition.
    TableRef typed = TableRef.parse(TYPED);
    for (List<String> key : keys) {
      for (Optional<String> version :
          List.of(Optional.<String>empty(), Optional.of("processed_at"))) {
        for (Optional<PartitionFilter> p : PARTITIONS) {
          all.add(
              built(
                  "Sql.upsert",
                  key + " " + describe(p) + " version=" + version.orElse("none"),
                  Sql.upsert(typed, staging(typed), key, columnsOf(TYPED), version, p),
                  p));
        }
      }
    }
    all.add(
        built(
            "Sql.upsert",
            "grading key, game_date, version=graded_at",
            Sql.upsert(
                grading,
                staging(grading),
                gradingKey,
                columnsOf(GRADING),
                Optional.of("graded_at"),
                gradingDay),
            gradingDay));
    TableRef keyOnly = TableRef.parse(KEY_ONLY);
    all.add(
        built(
            "Sql.upsert",
            "key-only table (no UPDATE clause)",
            Sql.upsert(
                keyOnly,
                staging(keyOnly),
                List.of("id"),
                columnsOf(KEY_ONLY),
                Optional.empty(),
                Optional.empty()),
            Optional.empty()));

    // Duplicate cleanup, as cleanup() sends it.
    for (List<String> key : keys) {
      for (Keep keep : List.of(Keep.latestBy("processed_at"), Keep.firstBy("points"))) {
        for (Optional<PartitionFilter> p : PARTITIONS) {
          all.add(
              built(
                  "Sql.cleanup via BigQueryWriter.cleanupSql",
                  key + " " + describe(p) + " " + keep,
                  BigQueryWriter.cleanupSql(check(TYPED, key, p), keep),
                  p));
        }
      }
    }
    all.add(
        built(
            "Sql.cleanup via BigQueryWriter.cleanupSql",
            "grading key (line_value FLOAT64), game_date, latest by graded_at",
            BigQueryWriter.cleanupSql(
                DuplicateCheck.of(GRADING, gradingKey).inPartition("game_date", DAY),
                Keep.latestBy("graded_at")),
            gradingDay));

    // Commits as the writer sends them: the fenced and/or guarded script around each MERGE, with
    // every parameter bound by the writer's own commit builders.
    Fence fence = Fence.of("grading/2026-11-23", 7);
    for (Optional<PartitionFilter> p : PARTITIONS) {
      p.ifPresent(
          partition -> {
            TableRef target = TableRef.parse(TYPED);
            for (Fence f : List.of(fence, Fence.unfenced())) {
              for (PartialDataGuard g :
                  List.of(PartialDataGuard.ofDefaults(), PartialDataGuard.off())) {
                all.add(
                    configured(
                        "Sql.commitScript via PartitionReplace.commitConfig",
                        describe(p) + " " + f + " guard=" + g.isOn(),
                        PartitionReplace.commitConfig(
                            target,
                            staging(target),
                            partition,
                            f.isFenced() ? Optional.of(fenceOf(target)) : Optional.empty(),
                            f,
                            g,
                            30)));
              }
            }
          });
    }
    all.add(
        configured(
            "Sql.commitScript via PartitionReplace.commitConfig",
            "grading, game_date, fenced, default guard",
            PartitionReplace.commitConfig(
                grading,
                staging(grading),
                gradingDay.get(),
                Optional.of(fenceOf(grading)),
                fence,
                PartialDataGuard.ofDefaults(),
                30)));
    for (List<String> key : keys) {
      for (Optional<PartitionFilter> p : PARTITIONS) {
        all.add(
            configured(
                "Sql.commitScript via Upsert.commitConfig",
                key + " " + describe(p) + " fenced, version=processed_at",
                Upsert.commitConfig(
                    typed,
                    staging(typed),
                    key,
                    columnsOf(TYPED),
                    Optional.of("processed_at"),
                    p,
                    Optional.of(fenceOf(typed)),
                    fence)));
        all.add(
            configured(
                "Sql.commitScript via DuplicateCleanup.commitConfig",
                key + " " + describe(p) + " fenced, latest by processed_at",
                DuplicateCleanup.commitConfig(
                    check(TYPED, key, p),
                    Keep.latestBy("processed_at"),
                    Optional.of(fenceOf(typed)),
                    fence)));
      }
    }
    all.add(
        configured(
            "Sql.commitScript via DuplicateCleanup.commitConfig",
            "grading key (line_value FLOAT64), game_date, fenced, latest by graded_at",
            DuplicateCleanup.commitConfig(
                DuplicateCheck.of(GRADING, gradingKey).inPartition("game_date", DAY),
                Keep.latestBy("graded_at"),
                Optional.of(fenceOf(grading)),
                fence)));
    all.add(
        new Emitted(
            "Sql.fenceTableDdl via BigQueryWriter.fenceTableDdl",
            "one-time setup of the grading fence table",
            BigQueryWriter.fenceTableDdl(GRADING).replace("__fence", "__fence_setup"),
            Map.of()));

    // Completion evidence and arrival, as their read paths send them.
    all.add(
        sent(
            "Sql.landedRows via BigQueryCompletionEvidence.landedRows",
            "game_date range",
            bq ->
                BigQueryCompletionEvidence.create(bq, "game_date")
                    .landedRows(Set.of(TYPED), DAY.minusDays(3), DAY)));
    all.add(
        sent(
            "Sql.latestArrival via BigQueryArrivalSource.latestArrival",
            "max processed_at of a game_date",
            bq ->
                BigQueryArrivalSource.builder(bq, TYPED)
                    .dateColumn("game_date")
                    .loadedAtColumn("processed_at")
                    .build()
                    .latestArrival(DAY)));
    return all;
  }

  private static DuplicateCheck check(
      String table, List<String> key, Optional<PartitionFilter> partition) {
    DuplicateCheck check = DuplicateCheck.of(table, key);
    return partition.map(p -> check.inPartition(p.column(), p.value())).orElse(check);
  }

  private static TableRef fenceOf(TableRef target) {
    return target.sibling(target.table() + BigQueryWriter.FENCE_TABLE_SUFFIX);
  }

  /** A commit exactly as the writer configures it: text and bound parameter types. */
  private static Emitted configured(String builder, String variant, QueryJobConfiguration config) {
    Map<String, StandardSQLTypeName> params = new LinkedHashMap<>();
    for (Map.Entry<String, QueryParameterValue> e : config.getNamedParameters().entrySet()) {
      params.put(e.getKey(), e.getValue().getType());
    }
    return new Emitted(builder, variant, config.getQuery(), params);
  }

  private static TableRef staging(TableRef target) {
    return target.sibling(target.table() + STAGING_SUFFIX);
  }

  private static String describe(Optional<PartitionFilter> p) {
    return p.map(f -> "partition " + f.column()).orElse("whole table");
  }

  /**
   * A statement from a writer builder; its only parameter is the partition value, typed by {@link
   * Parameters#of}, the one place the writer turns a partition value into a parameter.
   */
  private static Emitted built(
      String builder, String variant, String sql, Optional<PartitionFilter> partition) {
    Map<String, StandardSQLTypeName> params = new LinkedHashMap<>();
    partition.ifPresent(p -> params.put(Sql.PARTITION_PARAM, Parameters.of(p.value()).getType()));
    return new Emitted(builder, variant, sql, params);
  }

  /**
   * A statement with its parameters typed as the code that binds them types them; for statements
   * with parameters other than the partition value.
   */
  static Emitted statement(
      String builder, String variant, String sql, Map<String, StandardSQLTypeName> parameters) {
    return new Emitted(builder, variant, sql, Map.copyOf(parameters));
  }

  /** A statement exactly as a read path hands it to the client: text and bound parameter types. */
  private static Emitted sent(String builder, String variant, Consumer<BigQuery> call) {
    QueryJobConfiguration config = RecordingClient.firstQuery(call);
    Map<String, StandardSQLTypeName> params = new LinkedHashMap<>();
    for (Map.Entry<String, QueryParameterValue> e : config.getNamedParameters().entrySet()) {
      params.put(e.getKey(), e.getValue().getType());
    }
    return new Emitted(builder, variant, config.getQuery(), params);
  }

  /** A {@link BigQuery} whose {@code query} records its configuration and sends nothing. */
  static final class RecordingClient {
    private RecordingClient() {}

    /** Thrown out of {@code query} to stop the caller once the statement is recorded. */
    private static final class Recorded extends RuntimeException {
      private static final long serialVersionUID = 1L;
      private final transient QueryJobConfiguration config;

      Recorded(QueryJobConfiguration config) {
        super(null, null, false, false);
        this.config = config;
      }
    }

    static QueryJobConfiguration firstQuery(Consumer<BigQuery> call) {
      BigQuery recording =
          (BigQuery)
              Proxy.newProxyInstance(
                  BigQuery.class.getClassLoader(),
                  new Class<?>[] {BigQuery.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("query")
                        && args != null
                        && args[0] instanceof QueryJobConfiguration q) {
                      throw new Recorded(q);
                    }
                    if (method.getName().equals("toString")) {
                      return "RecordingClient";
                    }
                    throw new UnsupportedOperationException(
                        "the recording client answers only query(), not " + method.getName());
                  });
      try {
        call.accept(recording);
      } catch (Recorded r) {
        return r.config;
      }
      throw new AssertionError("the call sent no query");
    }
  }
}
