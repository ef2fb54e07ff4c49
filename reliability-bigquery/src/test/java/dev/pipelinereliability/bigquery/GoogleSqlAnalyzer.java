package dev.pipelinereliability.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.Constant;
import com.google.zetasql.ParseLocationRange;
import com.google.zetasql.Parser;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLOptions.ErrorMessageMode;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.parser.ASTNode;
import com.google.zetasql.parser.ASTNodes.ASTBeginEndBlock;
import com.google.zetasql.parser.ASTNodes.ASTElseifClause;
import com.google.zetasql.parser.ASTNodes.ASTExpression;
import com.google.zetasql.parser.ASTNodes.ASTIfStatement;
import com.google.zetasql.parser.ASTNodes.ASTRaiseStatement;
import com.google.zetasql.parser.ASTNodes.ASTScript;
import com.google.zetasql.parser.ASTNodes.ASTScriptStatement;
import com.google.zetasql.parser.ASTNodes.ASTSingleAssignment;
import com.google.zetasql.parser.ASTNodes.ASTStatement;
import com.google.zetasql.parser.ASTNodes.ASTStatementList;
import com.google.zetasql.parser.ASTNodes.ASTVariableDeclaration;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import com.google.zetasql.toolkit.AnalyzedStatement;
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

  /** Each table's path as the module renders it ({@code `p`.`d`.`t`}) and its catalog name. */
  private final Map<String, String> catalogNames = new LinkedHashMap<>();

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
      String[] parts = t.fullName().split("\\.");
      catalogNames.put("`" + String.join("`.`", parts) + "`", "`" + t.fullName() + "`");
      if (parts.length == 3 && parts[0].equals(defaultProject)) {
        catalogNames.put(
            "`" + parts[1] + "`.`" + parts[2] + "`", "`" + parts[1] + "." + parts[2] + "`");
      }
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
   * <p>The toolkit's own script support stops resolving at the first scripting statement other than
   * DECLARE and SET (everything after an {@code IF} would pass unchecked), so scripts are walked
   * here: each SQL statement, including those inside {@code IF} and {@code BEGIN ... END}, is
   * analyzed on its own; an {@code IF} or {@code ELSEIF} condition must be BOOL, a {@code RAISE}
   * message STRING, and a {@code SET} value must coerce to its variable's declared type. Variables
   * live in a copy of the catalog, so one script's DECLAREs do not leak into the next.
   *
   * @return the kind of each statement, in order, nested ones included (for example {@code
   *     MergeStmt}, {@code IfStatement})
   * @throws com.google.zetasql.toolkit.AnalysisException with the analyzer's message if a statement
   *     or expression is rejected
   * @throws AssertionError if a condition, message or assigned value has the wrong type, or the
   *     script uses a statement this walker does not check (WHILE, LOOP, FOR, exception handlers)
   */
  List<String> analyze(String sql, Map<String, StandardSQLTypeName> parameters) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    options.setErrorMessageMode(ErrorMessageMode.ERROR_MESSAGE_ONE_LINE);
    parameters.forEach((name, type) -> options.addQueryParameter(name, zetaType(type)));
    // The toolkit finds a DELETE, INSERT or UPDATE target written as a quoted path
    // (`ds`.`t`) nowhere, though it finds the same path in FROM and MERGE; written as the one
    // identifier the catalog registers (`ds.t`, which BigQuery also accepts) it is found
    // everywhere.
    String text = sql;
    for (Map.Entry<String, String> name : catalogNames.entrySet()) {
      text = text.replace(name.getKey(), name.getValue());
    }
    ASTScript script = Parser.parseScript(text, options.getLanguageOptions());
    Script walk = new Script(text, options, catalog.copy());
    walk.statements(script.getStatementListNode());
    if (walk.kinds.isEmpty()) {
      throw new AssertionError("no statement in:\n" + sql);
    }
    return walk.kinds;
  }

  /** One script's walk: its text, options and catalog copy (with its variables). */
  private static final class Script {
    private final byte[] text;
    private final String sql;
    private final AnalyzerOptions options;
    private final BigQueryCatalog catalog;
    private final List<String> kinds = new ArrayList<>();

    Script(String sql, AnalyzerOptions options, BigQueryCatalog catalog) {
      this.sql = sql;
      this.text = sql.getBytes(StandardCharsets.UTF_8);
      this.options = options;
      this.catalog = catalog;
    }

    /** The source text of a node; ZetaSQL locations are byte offsets into the UTF-8 text. */
    private String textOf(ASTNode node) {
      ParseLocationRange range = node.getParseLocationRange();
      return new String(text, range.start(), range.end() - range.start(), StandardCharsets.UTF_8);
    }

    void statements(ASTStatementList list) {
      if (list == null) {
        return;
      }
      for (ASTStatement statement : list.getStatementList()) {
        statement(statement);
      }
    }

    private void statement(ASTStatement statement) {
      if (statement instanceof ASTIfStatement s) {
        kinds.add("IfStatement");
        expression(s.getCondition(), TypeKind.TYPE_BOOL, "IF condition");
        statements(s.getThenList());
        if (s.getElseifClauses() != null) {
          for (ASTElseifClause e : s.getElseifClauses().getElseifClauses()) {
            expression(e.getCondition(), TypeKind.TYPE_BOOL, "ELSEIF condition");
            statements(e.getBody());
          }
        }
        statements(s.getElseList());
      } else if (statement instanceof ASTBeginEndBlock b && b.getHandlerList() == null) {
        kinds.add("BeginEndBlock");
        statements(b.getStatementListNode());
      } else if (statement instanceof ASTRaiseStatement r) {
        kinds.add("RaiseStatement");
        if (r.getMessage() != null) {
          expression(r.getMessage(), TypeKind.TYPE_STRING, "RAISE message");
        }
      } else if (statement instanceof ASTSingleAssignment a) {
        kinds.add("SingleAssignment");
        String name = a.getVariable().getIdString();
        Type declared =
            catalog.getZetaSQLCatalog().getConstantList().stream()
                .filter(c -> c.getFullName().equalsIgnoreCase(name))
                .map(Constant::getType)
                .findFirst()
                .orElseThrow(() -> new AssertionError("SET of undeclared variable " + name));
        // Assignment coerces implicitly: the value fits if the common supertype of a NULL of the
        // declared type and the value is the declared type (no supertype fails to analyze).
        String declaredName = declared.typeName(ProductMode.PRODUCT_EXTERNAL);
        Type common =
            typeOf(
                "IF(FALSE, CAST(NULL AS "
                    + declaredName
                    + "), ("
                    + textOf(a.getExpression())
                    + "))");
        if (!common.equals(declared)) {
          throw new AssertionError(
              "SET " + name + ": the value cannot be assigned to a " + declaredName + ": " + sql);
        }
      } else if (statement instanceof ASTScriptStatement
          && !(statement instanceof ASTVariableDeclaration)) {
        throw new AssertionError(
            statement.getClass().getSimpleName()
                + " is not checked by this analyzer helper; extend GoogleSqlAnalyzer.Script:\n"
                + sql);
      } else {
        // A SQL statement or a DECLARE: the toolkit rewrites its quoted table paths to the
        // catalog's names, resolves it, and registers declared variables in the catalog copy.
        Iterator<AnalyzedStatement> analyzed =
            new ZetaSQLToolkitAnalyzer(options).analyzeStatements(textOf(statement), catalog, true);
        while (analyzed.hasNext()) {
          AnalyzedStatement one = analyzed.next();
          kinds.add(
              one.getResolvedStatement()
                  .map(ResolvedStatement::nodeKindString)
                  .orElse(one.getParsedStatement().getClass().getSimpleName()));
        }
      }
    }

    /** Checks that an expression of the script resolves and has the expected type. */
    private void expression(ASTExpression expression, TypeKind expected, String what) {
      Type type = typeOf(textOf(expression));
      if (type.getKind() != expected) {
        throw new AssertionError(
            what + " is " + type + ", not " + expected + ": " + textOf(expression));
      }
    }

    /**
     * The type of an expression, resolved as the one column of {@code SELECT (<expression>)} so
     * that table paths in its subqueries resolve like those of any statement.
     */
    private Type typeOf(String expression) {
      Iterator<AnalyzedStatement> analyzed =
          new ZetaSQLToolkitAnalyzer(options)
              .analyzeStatements("SELECT (" + expression + ") AS v", catalog, true);
      ResolvedQueryStmt query = (ResolvedQueryStmt) analyzed.next().getResolvedStatement().get();
      return query.getOutputColumnList().get(0).getColumn().getType();
    }
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
