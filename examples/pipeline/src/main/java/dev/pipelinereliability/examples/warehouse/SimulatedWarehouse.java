package dev.pipelinereliability.examples.warehouse;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.examples.replay.CompressedTime;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionEvidence;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateValidator;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An in-memory stand-in for BigQuery with the three behaviours behind the seed incident:
 *
 * <ul>
 *   <li>every job takes time (on {@link CompressedTime}) and commits only at its end;
 *   <li>a MERGE (and the atomic replace) fails with {@link ConcurrentUpdateException} if any other
 *       mutating job on the same partition ran at any moment during it, as BigQuery's DML does;
 *   <li>DELETE and INSERT are separate jobs that never conflict, so a DELETE-then-INSERT fallback
 *       racing another one leaves both inserts behind.
 * </ul>
 *
 * <p>Thread-safe: jobs from many threads interleave exactly as their simulated durations say.
 */
public final class SimulatedWarehouse implements Warehouse {
  /** How long a MERGE or an atomic replace takes. */
  public static final Duration MERGE_TIME = Duration.ofSeconds(25);

  /** How long a DELETE of a partition takes. */
  public static final Duration DELETE_TIME = Duration.ofSeconds(5);

  /** How long an INSERT (load job) takes. */
  public static final Duration INSERT_TIME = Duration.ofSeconds(20);

  private final CompressedTime time;
  private final Map<String, Map<LocalDate, List<Map<String, Object>>>> tables = new HashMap<>();
  private final Map<String, Set<Job>> running = new HashMap<>();

  private static final class Job {
    boolean overlapped;
  }

  /** Creates an empty warehouse whose jobs take simulated time on {@code time}. */
  public SimulatedWarehouse(CompressedTime time) {
    this.time = requireNonNull(time, "time");
  }

  /**
   * A MERGE of {@code rows} by {@code keyFields}: every target row a source row matches is updated
   * to it (so existing duplicates stay duplicates, as in BigQuery), unmatched source rows inserted.
   *
   * @throws ConcurrentUpdateException if another mutating job on the partition overlapped it
   */
  public void merge(
      String table, LocalDate date, List<Map<String, Object>> rows, List<String> keyFields) {
    runSerializable(
        table,
        date,
        () -> {
          List<Map<String, Object>> partition = partition(table, date);
          for (Map<String, Object> row : rows) {
            boolean matched = false;
            for (int i = 0; i < partition.size(); i++) {
              if (sameKey(partition.get(i), row, keyFields)) {
                partition.set(i, Map.copyOf(row));
                matched = true;
              }
            }
            if (!matched) {
              partition.add(Map.copyOf(row));
            }
          }
        },
        () -> {});
  }

  /** A {@code DELETE ... WHERE date = @date} job; it never conflicts. */
  public void delete(String table, LocalDate date) {
    runAppendLike(table, date, DELETE_TIME, () -> partition(table, date).clear());
  }

  /** An INSERT (load) job appending {@code rows}; it never conflicts. */
  public void insert(String table, LocalDate date, List<Map<String, Object>> rows) {
    runAppendLike(
        table,
        date,
        INSERT_TIME,
        () -> rows.forEach(r -> partition(table, date).add(Map.copyOf(r))));
  }

  @Override
  public void replacePartition(
      String table, LocalDate date, List<Map<String, Object>> rows, Runnable beforeCommit) {
    runSerializable(
        table,
        date,
        () -> {
          List<Map<String, Object>> partition = partition(table, date);
          partition.clear();
          rows.forEach(r -> partition.add(Map.copyOf(r)));
        },
        beforeCommit);
  }

  /**
   * A validator over this warehouse's committed rows: each check runs the testkit's in-memory
   * validator (the same semantics as the BigQuery one) over a snapshot of the table.
   */
  public DuplicateValidator duplicateValidator() {
    return check -> {
      InMemoryDuplicateValidator snapshot = new InMemoryDuplicateValidator();
      synchronized (this) {
        List<Map<String, Object>> all = new ArrayList<>();
        tables.getOrDefault(check.table(), Map.of()).values().forEach(all::addAll);
        snapshot.putTable(check.table(), all);
      }
      return snapshot.validate(check);
    };
  }

  /**
   * The rows that landed per table and date: the evidence the completion reconciler checks. Each
   * call reads the testkit's in-memory evidence filled from a snapshot of the committed partitions.
   */
  public CompletionEvidence completionEvidence() {
    return (names, from, to) -> {
      InMemoryCompletionEvidence snapshot = new InMemoryCompletionEvidence();
      synchronized (this) {
        for (String table : names) {
          tables
              .getOrDefault(table, Map.of())
              .forEach((date, rows) -> snapshot.landed(table, date, rows.size()));
        }
      }
      return snapshot.landedRows(names, from, to);
    };
  }

  @Override
  public synchronized List<Map<String, Object>> rows(String table, LocalDate date) {
    return List.copyOf(partition(table, date));
  }

  private void runSerializable(
      String table, LocalDate date, Runnable commit, Runnable beforeCommit) {
    Job job = start(table, date);
    try {
      time.sleep(MERGE_TIME);
    } finally {
      finish(table, date, job);
    }
    beforeCommit.run();
    synchronized (this) {
      if (job.overlapped) {
        throw new ConcurrentUpdateException(table);
      }
      commit.run();
    }
  }

  private void runAppendLike(String table, LocalDate date, Duration duration, Runnable commit) {
    Job job = start(table, date);
    try {
      time.sleep(duration);
    } finally {
      finish(table, date, job);
    }
    synchronized (this) {
      commit.run();
    }
  }

  private synchronized Job start(String table, LocalDate date) {
    Set<Job> jobs = running.computeIfAbsent(table + "$" + date, k -> new HashSet<>());
    Job job = new Job();
    if (!jobs.isEmpty()) {
      job.overlapped = true;
      jobs.forEach(other -> other.overlapped = true);
    }
    jobs.add(job);
    return job;
  }

  private synchronized void finish(String table, LocalDate date, Job job) {
    running.get(table + "$" + date).remove(job);
  }

  private List<Map<String, Object>> partition(String table, LocalDate date) {
    return tables
        .computeIfAbsent(table, t -> new HashMap<>())
        .computeIfAbsent(date, d -> new ArrayList<>());
  }

  private static boolean sameKey(
      Map<String, Object> a, Map<String, Object> b, List<String> keyFields) {
    for (String field : keyFields) {
      if (!Objects.equals(a.get(field), b.get(field))) {
        return false;
      }
    }
    return true;
  }
}
