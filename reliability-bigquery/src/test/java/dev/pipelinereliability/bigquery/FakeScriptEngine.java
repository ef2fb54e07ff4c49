package dev.pipelinereliability.bigquery;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Executes, against in-memory tables, exactly the statement shapes the writer sends: the commit
 * script's fence-row seed, BEGIN TRANSACTION / {@code SELECT IF(<check>, ERROR(FORMAT(...)),
 * MAX(`token`) or COUNT(*))} / DELETE / INSERT / COMMIT TRANSACTION, and the replace and upsert
 * MERGEs. It keeps the fence state and the rows, so a test of the fence or the guard fails when the
 * script's logic is wrong, not only when its text changes. Any other statement shape throws {@link
 * Unsupported} (the server answers 500), so a statement the engine does not understand can never
 * pass silently.
 *
 * <p>Values are kept as text (or null), as BigQuery's REST JSON carries them; comparisons are
 * numeric when both sides are numbers.
 *
 * <p>Concurrency follows BigQuery's documented rules, so a test can interleave two scripts ({@link
 * #start} one, run another, then {@link #finish} the first): a transaction reads a snapshot taken
 * at BEGIN TRANSACTION and publishes its changes at COMMIT TRANSACTION (a RAISE publishes nothing,
 * as BigQuery's rollback); a statement outside a transaction commits on its own at once. At COMMIT
 * a transaction is cancelled ({@link Aborted}) if it updated or deleted rows of a table in which
 * another transaction or statement, committed since its BEGIN, also updated or deleted rows ("If a
 * transaction mutates (update or deletes) rows in a table, then other transactions or DML
 * statements that mutate rows in the same table cannot run concurrently. Conflicting transactions
 * are cancelled", BigQuery's multi-statement transactions reference). Appending never conflicts
 * ("If a transaction only reads a table or appends new rows to it, any operation can be performed
 * concurrently on that table"; a MERGE whose UPDATE or DELETE clauses are not invoked only appends,
 * BigQuery's DML reference), so two transactions that only append both commit, each adding its rows
 * to what the other published.
 */
final class FakeScriptEngine {

  /** A statement shape this engine does not execute. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String statement) {
      super("fake engine: unsupported statement: " + statement);
    }
  }

  /** An ERROR(...) ran: the script failed with this message, at this 1-based line. */
  static final class Raised extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    Raised(String message, int line) {
      super(message);
      this.line = line;
    }
  }

  /** The transaction lost a conflict at COMMIT; nothing of it is published. */
  static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String table;

    Aborted(String table) {
      super("Transaction is aborted due to concurrent update against table " + table);
      this.table = table;
    }
  }

  /** A script run up to (not including) its COMMIT TRANSACTION, or to its end. */
  static final class Execution {
    private final List<Child> children = new ArrayList<>();
    private @Nullable Snapshot transaction;
    private boolean committed;

    /** The statements that ran so far. */
    List<Child> children() {
      return children;
    }

    /** Whether the script stopped at a COMMIT TRANSACTION that {@link #finish} will run. */
    boolean atCommit() {
      return transaction != null && committed;
    }
  }

  /** A transaction's private copy of the tables, and where each copied row came from. */
  private final class Snapshot {
    final long beganAt = commitSeq;
    final Map<String, List<Map<String, String>>> work = new HashMap<>();
    final Map<String, List<Map<String, String>>> originals = new HashMap<>();
    final IdentityHashMap<Map<String, String>, Map<String, String>> origin =
        new IdentityHashMap<>();
    // Rows an UPDATE wrote, even with unchanged values: BigQuery rewrites them all the same.
    final Set<Map<String, String>> updated = Collections.newSetFromMap(new IdentityHashMap<>());

    Snapshot() {
      tables.forEach(
          (name, rows) -> {
            List<Map<String, String>> copies = new ArrayList<>();
            for (Map<String, String> r : rows) {
              Map<String, String> c = new LinkedHashMap<>(r);
              origin.put(c, r);
              copies.add(c);
            }
            work.put(name, copies);
            originals.put(name, new ArrayList<>(rows));
          });
    }
  }

  private record Commit(long seq, Set<String> mutated) {}

  private long commitSeq;
  private final List<Commit> commits = new ArrayList<>();

  /** One statement that ran, as BigQuery reports a child job. */
  record Child(String statementType, long inserted, long deleted, long updated) {}

  private static final String ID = "`([\\w-]+)`\\.`([\\w-]+)`";
  private static final Pattern DECLARE = Pattern.compile("DECLARE (\\w+) INT64");
  private static final String AGGREGATE = "(MAX\\(`token`\\)|COUNT\\(\\*\\))";
  private static final Pattern CHECKED_SELECT =
      Pattern.compile(
          "SELECT IF\\(\\s*(.*?),\\s*ERROR\\(FORMAT\\(\\s*'([^']*)',\\s*(.*?)\\)\\),\\s*"
              + AGGREGATE
              + "\\) AS (\\w+)\\s*FROM "
              + ID
              + " WHERE `(\\w+)` = @(\\w+)",
          Pattern.DOTALL);
  private static final Pattern GREATER = Pattern.compile("MAX\\(`token`\\) > @(\\w+)");
  private static final Pattern GUARD =
      Pattern.compile("\\(@(\\w+) AND @(\\w+) = 0\\) OR @(\\w+) < @(\\w+) \\* COUNT\\(\\*\\)");
  private static final Pattern FENCE_MERGE =
      Pattern.compile(
          "MERGE "
              + ID
              + " AS fence\\s*USING \\(SELECT @(\\w+) AS `partition_key`\\) AS advance\\s*"
              + "ON fence\\.`partition_key` = advance\\.`partition_key`\\s*"
              + "WHEN MATCHED THEN UPDATE SET `token` = @(\\w+), `lock_name` = @(\\w+),"
              + " `committed_at` = CURRENT_TIMESTAMP\\(\\)\\s*"
              + "WHEN NOT MATCHED THEN INSERT \\(`partition_key`, `token`, `lock_name`,"
              + " `committed_at`\\)\\s*VALUES \\(@(\\w+), @(\\w+), @(\\w+), CURRENT_TIMESTAMP\\(\\)\\)");
  private static final Pattern SEED =
      Pattern.compile(
          "INSERT INTO "
              + ID
              + " \\(`partition_key`, `token`, `lock_name`, `committed_at`\\)\\s*"
              + "SELECT @(\\w+), 0, NULL, CURRENT_TIMESTAMP\\(\\)\\s*FROM \\(SELECT 1\\)\\s*"
              + "WHERE NOT EXISTS \\(SELECT 1 FROM "
              + ID
              + " WHERE `partition_key` = @(\\w+)\\)");
  private static final Pattern DELETE =
      Pattern.compile("DELETE FROM " + ID + " WHERE `(\\w+)` = @(\\w+)");
  private static final Pattern INSERT =
      Pattern.compile("INSERT INTO " + ID + " \\(([^)]*)\\)\\s*VALUES \\((.*)\\)", Pattern.DOTALL);
  private static final Pattern REPLACE =
      Pattern.compile(
          "MERGE "
              + ID
              + " AS target\\s*USING "
              + ID
              + " AS source\\s*ON FALSE\\s*WHEN NOT MATCHED BY SOURCE AND target\\.`(\\w+)` = @(\\w+)"
              + " THEN DELETE\\s*WHEN NOT MATCHED THEN INSERT ROW");
  private static final Pattern UPSERT =
      Pattern.compile(
          "MERGE " + ID + " AS target\\s*USING " + ID + " AS source\\s*ON (.*?)\\n(.*)",
          Pattern.DOTALL);
  private static final Pattern KEY_MATCH =
      Pattern.compile("target\\.`(\\w+)` IS NOT DISTINCT FROM source\\.`(\\w+)`");
  private static final Pattern PARTITION_MATCH = Pattern.compile("target\\.`(\\w+)` = @(\\w+)");
  private static final Pattern VERSION =
      Pattern.compile("WHEN MATCHED AND \\(target\\.`(\\w+)` IS NULL OR source");

  private final Map<String, List<Map<String, String>>> tables;

  /**
   * @param tables the server's tables, by {@code dataset.table}; changed only on success
   */
  FakeScriptEngine(Map<String, List<Map<String, String>>> tables) {
    this.tables = tables;
  }

  /**
   * Runs {@code sql} with {@code params} to its end; returns the statements that ran, as child
   * jobs.
   *
   * @throws Raised when an ERROR(...) ran (nothing of the transaction is published)
   * @throws Aborted when the transaction lost a conflict at COMMIT
   * @throws Unsupported for a statement shape this engine does not know
   */
  List<Child> run(String sql, Map<String, String> params) {
    Execution e = start(sql, params);
    return e.atCommit() ? finish(e) : e.children();
  }

  /**
   * Runs {@code sql} up to its COMMIT TRANSACTION (or to its end if it has none). Statements before
   * BEGIN TRANSACTION, and a script without one, commit as they run.
   *
   * @throws Raised when an ERROR(...) ran (nothing of the transaction is published)
   * @throws Unsupported for a statement shape this engine does not know
   */
  Execution start(String sql, Map<String, String> params) {
    Execution e = new Execution();
    Map<String, String> vars = new HashMap<>();
    boolean hasTransaction = sql.contains("BEGIN TRANSACTION;");
    Snapshot whole = hasTransaction ? null : new Snapshot();
    int offset = 0;
    for (String raw : sql.split(";\n|;$", -1)) {
      int line = lineOf(sql, offset);
      offset += raw.length() + 2;
      String st = raw.strip();
      if (st.isEmpty()) {
        continue;
      }
      if (st.equals("BEGIN TRANSACTION")) {
        e.transaction = new Snapshot();
        e.children.add(new Child("BEGIN_TRANSACTION", 0, 0, 0));
      } else if (st.equals("COMMIT TRANSACTION")) {
        e.committed = true;
        e.children.add(new Child("COMMIT_TRANSACTION", 0, 0, 0));
        // What follows COMMIT runs after it; the writer's scripts end here.
        return e;
      } else {
        // Outside a transaction each statement commits on its own.
        Snapshot own = e.transaction == null && whole == null ? new Snapshot() : null;
        Child child =
            statement(
                Objects.requireNonNull(
                    e.transaction != null ? e.transaction : whole != null ? whole : own),
                st,
                line,
                params,
                vars);
        if (child != null) {
          e.children.add(child);
        }
        if (own != null) {
          publish(own);
        }
      }
    }
    if (whole != null) {
      publish(whole);
    }
    // A transaction the script did not commit is rolled back: nothing is published.
    return e;
  }

  /**
   * Commits the transaction {@code e} stopped at, under BigQuery's conflict rule.
   *
   * @throws Aborted when another transaction or statement, committed since this one began, updated
   *     or deleted rows of a table whose rows this one updated or deleted
   */
  List<Child> finish(Execution e) {
    Snapshot transaction = e.transaction;
    if (!e.atCommit() || transaction == null) {
      throw new IllegalStateException("the script did not stop at COMMIT TRANSACTION");
    }
    publish(transaction);
    return e.children();
  }

  /** Publishes a snapshot's changes as deltas, or throws {@link Aborted} on a conflict. */
  private void publish(Snapshot t) {
    Map<String, List<Map<String, String>>> removed = new HashMap<>();
    Map<String, List<Map<String, String>>> added = new HashMap<>();
    Set<String> mutated = new HashSet<>();
    t.work.forEach(
        (name, rows) -> {
          Set<Map<String, String>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
          List<Map<String, String>> gone = new ArrayList<>();
          List<Map<String, String>> fresh = new ArrayList<>();
          for (Map<String, String> r : rows) {
            Map<String, String> o = t.origin.get(r);
            if (o == null) {
              fresh.add(r);
            } else {
              seen.add(o);
              if (!o.equals(r) || t.updated.contains(r)) {
                gone.add(o);
                fresh.add(r);
                mutated.add(name);
              }
            }
          }
          for (Map<String, String> o : t.originals.getOrDefault(name, List.of())) {
            if (!seen.contains(o)) {
              gone.add(o);
              mutated.add(name);
            }
          }
          removed.put(name, gone);
          added.put(name, fresh);
        });
    for (Commit c : commits) {
      if (c.seq() > t.beganAt) {
        for (String name : mutated) {
          if (c.mutated().contains(name)) {
            throw new Aborted("test-project:" + name);
          }
        }
      }
    }
    added.forEach(
        (name, fresh) -> {
          List<Map<String, String>> committed =
              tables.computeIfAbsent(name, n -> new ArrayList<>());
          Set<Map<String, String>> gone = Collections.newSetFromMap(new IdentityHashMap<>());
          gone.addAll(removed.get(name));
          committed.removeIf(gone::contains);
          for (Map<String, String> r : fresh) {
            committed.add(new LinkedHashMap<>(r));
          }
        });
    commits.add(new Commit(++commitSeq, mutated));
  }

  private @Nullable Child statement(
      Snapshot t, String st, int line, Map<String, String> params, Map<String, String> vars) {
    Matcher m = DECLARE.matcher(st);
    Map<String, List<Map<String, String>>> work = t.work;
    if (m.usePattern(DECLARE).reset().matches()) {
      vars.put(m.group(1), null);
      return null;
    } else if (m.usePattern(SEED).reset().matches()) {
      String key = param(params, m.group(3));
      String probe = param(params, m.group(6));
      boolean exists =
          rows(work, m.group(4), m.group(5)).stream()
              .anyMatch(r -> Objects.equals(r.get("partition_key"), probe));
      if (exists) {
        return new Child("INSERT", 0, 0, 0);
      }
      Map<String, String> row = new LinkedHashMap<>();
      row.put("partition_key", key);
      row.put("token", "0");
      row.put("lock_name", null);
      row.put("committed_at", "2026-11-30T00:00:00Z");
      rows(work, m.group(1), m.group(2)).add(row);
      return new Child("INSERT", 1, 0, 0);
    } else if (m.usePattern(CHECKED_SELECT).reset().matches()) {
      List<Map<String, String>> rows = rows(work, m.group(6), m.group(7));
      String column = m.group(8);
      String value = param(params, m.group(9));
      List<Map<String, String>> hit =
          rows.stream().filter(r -> Objects.equals(r.get(column), value)).toList();
      String aggregate =
          m.group(4).startsWith("MAX")
              ? hit.stream()
                  .map(r -> r.get("token"))
                  .filter(Objects::nonNull)
                  .map(Long::parseLong)
                  .max(Long::compare)
                  .map(String::valueOf)
                  .orElse(null)
              : String.valueOf(hit.size());
      if (condition(m.group(1).strip(), aggregate, params)) {
        throw new Raised(format(m.group(2), m.group(3), aggregate, params), line + 1);
      }
      vars.put(m.group(5), aggregate);
      return new Child("SELECT", 0, 0, 0);
    } else if (m.usePattern(DELETE).reset().matches()) {
      List<Map<String, String>> rows = rows(work, m.group(1), m.group(2));
      String column = m.group(3);
      String value = param(params, m.group(4));
      int before = rows.size();
      rows.removeIf(r -> Objects.equals(r.get(column), value));
      return new Child("DELETE", 0, before - rows.size(), 0);
    } else if (m.usePattern(INSERT).reset().matches()) {
      String[] columns = m.group(3).replace("`", "").split(",\\s*", -1);
      String[] values = m.group(4).split(",\\s*", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < columns.length; i++) {
        String v = values[i].strip();
        row.put(
            columns[i],
            v.equals("CURRENT_TIMESTAMP()")
                ? "2026-11-30T00:00:00Z"
                : param(params, v.substring(1)));
      }
      rows(work, m.group(1), m.group(2)).add(row);
      return new Child("INSERT", 1, 0, 0);
    } else if (m.usePattern(FENCE_MERGE).reset().matches()) {
      List<Map<String, String>> fence = rows(work, m.group(1), m.group(2));
      String key = param(params, m.group(3));
      Map<String, String> row =
          fence.stream().filter(r -> key.equals(r.get("partition_key"))).findFirst().orElse(null);
      boolean inserted = row == null;
      if (row == null) {
        row = new LinkedHashMap<>();
        row.put("partition_key", param(params, m.group(6)));
        fence.add(row);
      }
      if (!inserted) {
        t.updated.add(row);
      }
      row.put("token", param(params, inserted ? m.group(7) : m.group(4)));
      row.put("lock_name", param(params, inserted ? m.group(8) : m.group(5)));
      row.put("committed_at", "2026-11-30T00:00:00Z");
      return new Child("MERGE", inserted ? 1 : 0, 0, inserted ? 0 : 1);
    } else if (m.usePattern(REPLACE).reset().matches()) {
      List<Map<String, String>> target = rows(work, m.group(1), m.group(2));
      List<Map<String, String>> source = rows(work, m.group(3), m.group(4));
      String column = m.group(5);
      String value = param(params, m.group(6));
      int before = target.size();
      target.removeIf(r -> Objects.equals(r.get(column), value));
      long deleted = (long) before - target.size();
      for (Map<String, String> r : source) {
        target.add(new LinkedHashMap<>(r));
      }
      return new Child("MERGE", source.size(), deleted, 0);
    } else if (m.usePattern(UPSERT).reset().matches() && st.contains("IS NOT DISTINCT FROM")) {
      return upsert(t, m, params);
    } else {
      throw new Unsupported(st);
    }
  }

  private static Child upsert(Snapshot txn, Matcher m, Map<String, String> params) {
    Map<String, List<Map<String, String>>> work = txn.work;
    List<Map<String, String>> target = rows(work, m.group(1), m.group(2));
    List<Map<String, String>> source = rows(work, m.group(3), m.group(4));
    String on = m.group(5);
    String rest = m.group(6);
    List<String> keys = new ArrayList<>();
    Matcher k = KEY_MATCH.matcher(on);
    while (k.find()) {
      keys.add(k.group(1));
    }
    Matcher p = PARTITION_MATCH.matcher(on);
    String partColumn = null;
    String partValue = null;
    if (p.find()) {
      partColumn = p.group(1);
      partValue = param(params, p.group(2));
    }
    Matcher v = VERSION.matcher(rest);
    String version = v.find() ? v.group(1) : null;
    long inserted = 0;
    long updated = 0;
    for (Map<String, String> s : source) {
      Map<String, String> match = null;
      for (Map<String, String> t : target) {
        boolean same = partColumn == null || Objects.equals(t.get(partColumn), partValue);
        for (String key : keys) {
          same &= Objects.equals(t.get(key), s.get(key));
        }
        if (same) {
          match = t;
          break;
        }
      }
      if (match == null) {
        target.add(new LinkedHashMap<>(s));
        inserted++;
      } else if (rest.contains("WHEN MATCHED")
          && (version == null
              || match.get(version) == null
              || compare(Objects.requireNonNull(s.get(version)), match.get(version)) >= 0)) {
        txn.updated.add(match);
        for (Map.Entry<String, String> e : s.entrySet()) {
          if (!keys.contains(e.getKey())) {
            match.put(e.getKey(), e.getValue());
          }
        }
        updated++;
      }
    }
    return new Child("MERGE", inserted, 0, updated);
  }

  /** The IF's condition over the aggregate; SQL: a comparison with NULL is not true. */
  private static boolean condition(
      String cond, @Nullable String aggregate, Map<String, String> params) {
    Matcher m = GREATER.matcher(cond);
    if (m.usePattern(GREATER).reset().matches()) {
      return aggregate != null && compare(aggregate, param(params, m.group(1))) > 0;
    }
    if (m.usePattern(GUARD).reset().matches()) {
      boolean refuseEmpty = Boolean.parseBoolean(param(params, m.group(1)));
      long newRows = Long.parseLong(param(params, m.group(2)));
      double fraction = Double.parseDouble(param(params, m.group(4)));
      long current = Long.parseLong(aggregate);
      return (refuseEmpty && newRows == 0) || newRows < fraction * current;
    }
    throw new Unsupported("IF " + cond);
  }

  /** FORMAT with %s and %d; an argument is a parameter or the statement's aggregate. */
  private static String format(
      String pattern, String args, @Nullable String aggregate, Map<String, String> params) {
    String[] names = args.split(",\\s*", -1);
    StringBuilder out = new StringBuilder();
    int arg = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '%' && i + 1 < pattern.length()) {
        String name = names[arg++].strip();
        String value;
        if (name.startsWith("@")) {
          value = param(params, name.substring(1));
        } else if (name.equals("MAX(`token`)") || name.equals("COUNT(*)")) {
          value = aggregate;
        } else {
          throw new Unsupported("FORMAT argument " + name);
        }
        out.append(value == null ? "NULL" : value);
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int compare(String a, String b) {
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  private static String param(Map<String, String> params, String name) {
    if (!params.containsKey(name)) {
      throw new Unsupported("unbound parameter @" + name);
    }
    return params.get(name);
  }

  private static List<Map<String, String>> rows(
      Map<String, List<Map<String, String>>> work, String dataset, String table) {
    return work.computeIfAbsent(dataset + "." + table, t -> new ArrayList<>());
  }

  private static int lineOf(String sql, int offset) {
    int line = 0;
    for (int i = 0; i < Math.min(offset, sql.length()); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
