package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLOptions.ErrorMessageMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.toolkit.AnalyzedStatement;
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GoogleSQL's own front end (ZetaSQL, the analyzer BigQuery runs before it plans a query) in
 * BigQuery mode, over a catalog of local tables: no credentials, no network. It resolves names,
 * types, function signatures and rules such as "Partitioning by expressions of type FLOAT64 is not
 * allowed"; it cannot see what only the service enforces at run time (require_partition_filter,
 * MERGE's one-source-row rule, quotas, transaction conflicts).
 *
 * <p>The ZetaSQL jar ships its native library for x86_64 Linux and macOS only; {@link
 * #unsupportedPlatform()} says why analysis cannot run elsewhere.
 */
final class GoogleSqlAnalyzer {
  /** A table of the catalog: its full name and BigQuery schema. */
  record CatalogTable(String fullName, List<Field> fields) {}

  private final BigQueryCatalog catalog;

  /**
   * Builds the catalog; tables are registered by full name and, in {@code defaultProject}, also by
   * {@code dataset.table}, as BigQuery resolves them.
   */
  GoogleSqlAnalyzer(String defaultProject, List<CatalogTable> tables) {
    List<SimpleTable> simpleTables = new ArrayList<>();
    for (CatalogTable t : tables) {
      List<SimpleColumn> columns = new ArrayList<>();
      for (Field f : t.fields()) {
        columns.add(
            new SimpleColumn(t.fullName(), f.getName(), zetaType(f.getType().getStandardType())));
      }
      simpleTables.add(new SimpleTable(t.fullName(), columns));
    }
    catalog =
        BigQueryCatalog.usingResources(
            defaultProject, new CatalogResources(simpleTables, List.of(), List.of(), List.of()));
    catalog.addAllTablesInProject(defaultProject);
  }

  /**
   * Why the native analyzer cannot run on this machine, or empty if it can. Only the platform is
   * judged here: on a supported platform a failure to load the library is a test failure, never a
   * skip.
   */
  static Optional<String> unsupportedPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
    boolean osOk = os.contains("linux") || os.contains("mac");
    if (x86 && osOk) {
      return Optional.empty();
    }
    return Optional.of(
        "com.google.zetasql 2024.03.1 ships liblocal_service_jni only for x86_64 Linux and macOS;"
            + " this JVM runs on "
            + os
            + "/"
            + arch);
  }

  /**
   * Analyzes every statement of {@code sql} (a statement or a script) with the named query
   * parameters declared at exactly {@code parameters}' types.
   *
   * @return the resolved node kind of each statement, in order (for example {@code MergeStmt})
   * @throws com.google.zetasql.toolkit.AnalysisException with the analyzer's message if a statement
   *     is rejected
   * @throws AssertionError if a statement was parsed but not resolved: the toolkit stops resolving
   *     at the first scripting statement other than DECLARE and SET (IF, BEGIN...END, RAISE, ...),
   *     and a statement left unresolved must not count as checked
   */
  List<String> analyze(String sql, Map<String, StandardSQLTypeName> parameters) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    options.setErrorMessageMode(ErrorMessageMode.ERROR_MESSAGE_ONE_LINE);
    parameters.forEach((name, type) -> options.addQueryParameter(name, zetaType(type)));
    Iterator<AnalyzedStatement> statements =
        new ZetaSQLToolkitAnalyzer(options).analyzeStatements(sql, catalog, true);
    List<String> kinds = new ArrayList<>();
    while (statements.hasNext()) {
      AnalyzedStatement statement = statements.next();
      if (statement.getResolvedStatement().isEmpty()) {
        String parsed = statement.getParsedStatement().getClass().getSimpleName();
        if (parsed.equals("ASTVariableDeclaration") || parsed.equals("ASTSingleAssignment")) {
          // DECLARE and SET are checked by the toolkit itself (types, coercion) and leave no
          // resolved statement; they do not stop the statements after them from being resolved.
          kinds.add(parsed);
          continue;
        }
        throw new AssertionError(
            "statement "
                + (kinds.size() + 1)
                + " ("
                + parsed
                + ") was parsed but not analyzed; the toolkit analyzes nothing after a scripting"
                + " statement such as IF, BEGIN...END or RAISE (use ASSERT instead):\n"
                + sql);
      }
      kinds.add(statement.getResolvedStatement().get().nodeKindString());
    }
    if (kinds.isEmpty()) {
      throw new AssertionError("no statement in:\n" + sql);
    }
    return kinds;
  }

  /** The ZetaSQL type of a BigQuery column or parameter type. */
  static Type zetaType(StandardSQLTypeName type) {
    TypeKind kind =
        switch (type) {
          case STRING -> TypeKind.TYPE_STRING;
          case INT64 -> TypeKind.TYPE_INT64;
          case FLOAT64 -> TypeKind.TYPE_DOUBLE;
          case NUMERIC -> TypeKind.TYPE_NUMERIC;
          case BIGNUMERIC -> TypeKind.TYPE_BIGNUMERIC;
          case BOOL -> TypeKind.TYPE_BOOL;
          case DATE -> TypeKind.TYPE_DATE;
          case DATETIME -> TypeKind.TYPE_DATETIME;
          case TIME -> TypeKind.TYPE_TIME;
          case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
          case BYTES -> TypeKind.TYPE_BYTES;
          case JSON -> TypeKind.TYPE_JSON;
          default -> throw new IllegalArgumentException("no scalar ZetaSQL type for " + type);
        };
    return TypeFactory.createSimpleType(kind);
  }
}
