package dev.pipelinereliability.examples.warehouse;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.examples.time.CompressedTime;
import dev.pipelinereliability.testkit.completion.InMemoryCompletionEvidence;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory stand-in for BigQuery with the three behaviours behind the incident:
 *
 * <ul>
 *   <li>every job takes time (on {@link CompressedTime}) and commits only at its end;
 *   <li>a MERGE (and the atomic replace) fails with {@link ConcurrentUpdateException} if any other
 *       mutating job on the same partition ran at any moment during it, as BigQuery's DML does;
 *   <li>DELETE and INSERT are separate jobs that never conflict, so a DELETE-then-INSERT fallback
 *       racing another one leaves both inserts behind.
 * </ul>
 *
 * <p>The library's path writes through {@link PartitionWriter}, which this warehouse implements as
 * {@code BigQueryWriter} does: the commit is refused with {@link StaleFenceException} when a higher
 * fencing token was committed for the partition, and with {@link PartialDataException} when the
 * {@link PartialDataGuard} refuses the new row count; a refused commit changes nothing.
 *
 * <p>Thread-safe: jobs from many threads interleave exactly as their simulated durations say.
 */
public final class SimulatedWarehouse implements PartitionWriter, TableReader {
  /** How long a MERGE or an atomic replace takes. */
  public static final Duration MERGE_TIME = Duration.ofSeconds(25);

  /** How long a DELETE of a partition takes. */
  public static final Duration DELETE_TIME = Duration.ofSeconds(5);

  /** How long an INSERT (load job) takes. */
  public static final Duration INSERT_TIME = Duration.ofSeconds(20);

  private final CompressedTime time;
  private final Map<String, Map<LocalDate, List<Map<String, Object>>>> tables = new HashMap<>();
  private final Map<String, Set<Job>> running = new HashMap<>();
  private final Map<String, Long> fences = new HashMap<>();
  private final List<Runnable> stalls = new ArrayList<>();

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

  /**
   * Runs {@code whileStalled} once, inside the next partition replace, after the writer's lock
   * check and before the fence is compared: the moment a stalled holder sits between its check and
   * its commit. The replay lets another instance commit there. It runs without this warehouse's
   * monitor held and is removed before it runs.
   *
   * @param whileStalled what happens during the stall
   */
  public void duringNextCommit(Runnable whileStalled) {
    synchronized (stalls) {
      stalls.add(requireNonNull(whileStalled, "whileStalled"));
    }
  }

  @Override
  public WriteResult replacePartition(
      String table, PartitionFilter partition, List<? extends Map<String, ?>> rows, Fence fence) {
    return replacePartition(table, partition, rows, fence, PartialDataGuard.ofDefaults());
  }

  @Override
  public WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard) {
    WriteArguments.requireTable(table);
    LocalDate date = dateOf(partition);
    requireNonNull(fence, "fence (use Fence.unfenced() to write without a lock)");
    requireNonNull(guard, "guard (use PartialDataGuard.off())");
    WriteArguments.requireRowsInPartition(rows, partition);
    List<Map<String, Object>> copies = new ArrayList<>();
    rows.forEach(r -> copies.add(Map.copyOf(r)));
    long[] deleted = {0};
    runSerializable(
        table,
        date,
        () -> {
          checkFence(table, partition, fence);
          List<Map<String, Object>> stored = partition(table, date);
          guard.check(table, describe(partition), stored.size(), copies.size());
          deleted[0] = stored.size();
          stored.clear();
          stored.addAll(copies);
          advance(table, partition, fence);
        },
        () -> {
          fence.checkBeforeCommit();
          List<Runnable> due;
          synchronized (stalls) {
            due = List.copyOf(stalls);
            stalls.clear();
          }
          due.forEach(Runnable::run);
        });
    return new WriteResult(copies.size(), deleted[0], 0, 0, 1, List.of());
  }

  /**
   * An upsert by key, fenced like {@link #replacePartition}: matched rows are updated (never by an
   * older {@code versionColumn} value), the rest inserted. The examples only replace; this exists
   * so the warehouse is a complete {@link PartitionWriter}.
   */
  @Override
  public WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence) {
    PartitionFilter p =
        partition.orElseThrow(
            () ->
                new IllegalArgumentException("the simulated warehouse upserts one date at a time"));
    LocalDate date = dateOf(p);
    requireNonNull(fence, "fence (use Fence.unfenced() to write without a lock)");
    long[] counts = {0, 0};
    runSerializable(
        table,
        date,
        () -> {
          checkFence(table, p, fence);
          List<Map<String, Object>> stored = partition(table, date);
          for (Map<String, ?> row : rows) {
            int match = -1;
            for (int i = 0; i < stored.size() && match < 0; i++) {
              if (sameKey(stored.get(i), row, keyColumns)) {
                match = i;
              }
            }
            if (match < 0) {
              stored.add(Map.copyOf(row));
              counts[0]++;
            } else if (versionColumn.isEmpty()
                || notOlder(row, stored.get(match), versionColumn.get())) {
              stored.set(match, Map.copyOf(row));
              counts[1]++;
            }
          }
          advance(table, p, fence);
        },
        fence::checkBeforeCommit);
    return new WriteResult(counts[0], 0, counts[1], 0, 1, List.of());
  }

  private void checkFence(String table, PartitionFilter partition, Fence fence) {
    Long stored = fences.get(table + "$" + partition.value());
    if (stored != null) {
      fence.checkNotOlderThan(table, describe(partition), stored);
    }
  }

  private void advance(String table, PartitionFilter partition, Fence fence) {
    if (fence.isFenced()) {
      fences.put(table + "$" + partition.value(), fence.token());
    }
  }

  private static LocalDate dateOf(PartitionFilter partition) {
    if (!(partition.value() instanceof LocalDate date)) {
      throw new IllegalArgumentException(
          "the simulated warehouse partitions by date, got " + partition.value());
    }
    return date;
  }

  private static String describe(PartitionFilter p) {
    return WriteArguments.describe(Optional.of(p));
  }

  @SuppressWarnings("unchecked")
  private static boolean notOlder(Map<String, ?> row, Map<String, Object> stored, String v) {
    Object incoming = row.get(v);
    Object existing = stored.get(v);
    return existing == null
        || (incoming != null && ((Comparable<Object>) incoming).compareTo(existing) >= 0);
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
    requireNonNull(running.get(table + "$" + date), "running jobs").remove(job);
  }

  private List<Map<String, Object>> partition(String table, LocalDate date) {
    return tables
        .computeIfAbsent(table, t -> new HashMap<>())
        .computeIfAbsent(date, d -> new ArrayList<>());
  }

  private static boolean sameKey(Map<String, Object> a, Map<String, ?> b, List<String> keyFields) {
    for (String field : keyFields) {
      Object x = a.get(field);
      Object y = b.get(field);
      if (!(Objects.equals(x, y) || (x != null && y != null && KeyValues.same(x, y)))) {
        return false;
      }
    }
    return true;
  }
}
