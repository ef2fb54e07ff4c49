package dev.pipelinereliability.testkit.write;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.telemetry.WriteMetrics;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PartitionWriter} over in-memory tables, for processor tests without a warehouse. It
 * enforces what the BigQuery writer enforces: the highest committed token per table and partition
 * (or per table, for a whole-table upsert) refuses a lower one with {@link StaleFenceException};
 * the {@link PartialDataGuard} refuses a replace that would shrink a partition too far with {@link
 * PartialDataException}; a refused or failed call changes nothing. Before each commit it runs
 * {@link Fence#checkBeforeCommit()}, as the real writer does.
 *
 * <p>Tables need no declaration: a table is created by its first write. Rows are copied in and out.
 * A partition value must be of a type the BigQuery writer can bind ({@code LocalDate}, {@code
 * String}, {@code Long}, {@code Integer}, {@code Short}, {@code Instant}, {@code LocalDateTime},
 * {@code Boolean}, {@code BigDecimal}), so a processor test fails where production would; its fence
 * key is its text as the BigQuery writer stores it ({@code toPlainString()} for a {@code
 * BigDecimal}, {@code toString()} otherwise).
 *
 * <p>Thread-safe: every call is atomic under one lock, so concurrent writers interleave only
 * between calls (the fence refuses the stale one either way).
 */
public final class InMemoryPartitionWriter implements PartitionWriter {
  private final PartialDataGuard defaultGuard;
  private final Map<String, List<Map<String, Object>>> tables = new HashMap<>();
  private final Map<String, Long> fences = new HashMap<>();
  private final List<Runnable> stalls = new ArrayList<>();
  private final OpenTelemetry openTelemetry;
  private final WriteMetrics metrics;

  /**
   * A writer with {@link PartialDataGuard#ofDefaults()} as its default guard, reporting to {@link
   * GlobalOpenTelemetry#get()}, read now.
   */
  public InMemoryPartitionWriter() {
    this(PartialDataGuard.ofDefaults());
  }

  /**
   * A writer with the given default guard, reporting to {@link GlobalOpenTelemetry#get()}, read
   * now.
   *
   * @param defaultGuard the guard of calls that pass none
   * @throws NullPointerException if {@code defaultGuard} is null
   */
  public InMemoryPartitionWriter(PartialDataGuard defaultGuard) {
    this(defaultGuard, GlobalOpenTelemetry.get());
  }

  /**
   * A writer with the given default guard that reports its writes ({@code
   * pipeline_reliability.write.*}, by table) and the deduplication of each upsert's input ({@code
   * pipeline_reliability.dedup.rows.*}) to {@code openTelemetry}, as the BigQuery writer does.
   *
   * @param defaultGuard the guard of calls that pass none
   * @param openTelemetry the OpenTelemetry instance
   * @throws NullPointerException if {@code defaultGuard} or {@code openTelemetry} is null
   */
  public InMemoryPartitionWriter(PartialDataGuard defaultGuard, OpenTelemetry openTelemetry) {
    requireNonNull(defaultGuard, "defaultGuard");
    this.defaultGuard = defaultGuard;
    this.openTelemetry = openTelemetry;
    this.metrics = ReliabilityTelemetry.of(openTelemetry).writes();
  }

  /**
   * Runs {@code whileStalled} once, inside the next commit, after the writer's lock check and
   * before the fence is compared: the moment a stalled holder sits between its check and its
   * commit. Tests let another holder commit there. It runs without this writer's monitor held and
   * is removed before it runs, so it may itself write through this writer.
   *
   * @param whileStalled what happens during the stall
   * @throws NullPointerException if {@code whileStalled} is null
   */
  public void duringNextCommit(Runnable whileStalled) {
    requireNonNull(whileStalled, "whileStalled");
    synchronized (stalls) {
      stalls.add(whileStalled);
    }
  }

  @Override
  public WriteResult replacePartition(
      String table, PartitionFilter partition, List<? extends Map<String, ?>> rows, Fence fence) {
    return replacePartition(table, partition, rows, fence, defaultGuard);
  }

  @Override
  public WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard) {
    WriteArguments.requireTable(table);
    return metrics.recordWrite(table, () -> replace(table, partition, rows, fence, guard));
  }

  private WriteResult replace(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard) {
    requireNonNull(partition, "partition");
    WriteArguments.requirePartitionValue(partition.value());
    WriteArguments.requireRowsInPartition(rows, partition);
    WriteArguments.requireFence(fence);
    WriteArguments.requireGuard(guard);
    List<Map<String, Object>> copies = copy(rows);
    beforeCommit(fence);
    synchronized (this) {
      String key = WriteArguments.partitionKey(partition.value());
      String described = WriteArguments.describe(Optional.of(partition));
      checkFence(table, key, described, fence);
      List<Map<String, Object>> stored = tables.computeIfAbsent(table, t -> new ArrayList<>());
      long current = stored.stream().filter(r -> WriteArguments.inPartition(r, partition)).count();
      guard.check(table, described, current, copies.size());
      stored.removeIf(r -> WriteArguments.inPartition(r, partition));
      stored.addAll(copies);
      advance(table, key, fence);
      return new WriteResult(copies.size(), current, 0, 0, 1, List.of());
    }
  }

  @Override
  public WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence) {
    WriteArguments.requireTable(table);
    return metrics.recordWrite(
        table, () -> merge(table, keyColumns, versionColumn, partition, rows, fence));
  }

  private WriteResult merge(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence) {
    requireNonNull(keyColumns, "keyColumns");
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is needed, got " + keyColumns);
    }
    requireNonNull(versionColumn, "versionColumn");
    requireNonNull(partition, "partition");
    partition.ifPresent(
        p -> {
          WriteArguments.requirePartitionValue(p.value());
          WriteArguments.requireRowsInPartition(rows, p);
        });
    for (int i = 0; i < rows.size(); i++) {
      for (String k : keyColumns) {
        if (!rows.get(i).containsKey(k)) {
          throw new IllegalArgumentException("row " + i + " lacks key column " + k);
        }
      }
    }
    WriteArguments.requireFence(fence);
    Deduplicator.Builder<Map<String, Object>> dedup =
        Deduplicator.forRows(keyColumns).openTelemetry(openTelemetry);
    versionColumn.ifPresent(dedup::keepLatestBy);
    DedupResult<Map<String, Object>> deduped = dedup.build().apply(copy(rows));
    beforeCommit(fence);
    synchronized (this) {
      String key = partition.map(p -> WriteArguments.partitionKey(p.value())).orElse("");
      checkFence(table, key, WriteArguments.describe(partition), fence);
      List<Map<String, Object>> stored = tables.computeIfAbsent(table, t -> new ArrayList<>());
      long inserted = 0;
      long updated = 0;
      for (Map<String, Object> row : deduped.rows()) {
        Map<String, Object> match = null;
        for (Map<String, Object> s : stored) {
          if (partition.map(p -> WriteArguments.inPartition(s, p)).orElse(true)
              && sameKey(s, row, keyColumns)) {
            match = s;
            break;
          }
        }
        if (match == null) {
          stored.add(row);
          inserted++;
        } else if (versionColumn.isEmpty() || notOlder(row, match, versionColumn.get())) {
          match.putAll(row);
          updated++;
        }
      }
      advance(table, key, fence);
      return new WriteResult(inserted, 0, updated, deduped.removedCount(), 1, List.of());
    }
  }

  /**
   * A copy of the rows of {@code table} in {@code partition}, in write order.
   *
   * @param table the table id
   * @param partition the partition
   * @return the rows; empty if the table was never written
   */
  public synchronized List<Map<String, Object>> rows(String table, PartitionFilter partition) {
    return tables.getOrDefault(table, List.of()).stream()
        .filter(r -> WriteArguments.inPartition(r, partition))
        .map(r -> (Map<String, Object>) new LinkedHashMap<>(r))
        .toList();
  }

  /**
   * A copy of every row of {@code table}, in write order.
   *
   * @param table the table id
   * @return the rows; empty if the table was never written
   */
  public synchronized List<Map<String, Object>> rows(String table) {
    return copy(tables.getOrDefault(table, List.of()));
  }

  /**
   * The highest token committed for a partition of {@code table}.
   *
   * @param table the table id
   * @param partitionValue the partition value, or null for the whole-table fence of upserts
   * @return the token, or empty if no fenced write committed there
   */
  public synchronized Optional<Long> storedToken(String table, Object partitionValue) {
    return Optional.ofNullable(
        fences.get(
            fenceKey(
                table, partitionValue == null ? "" : WriteArguments.partitionKey(partitionValue))));
  }

  private void beforeCommit(Fence fence) {
    fence.checkBeforeCommit();
    List<Runnable> due;
    synchronized (stalls) {
      due = List.copyOf(stalls);
      stalls.clear();
    }
    due.forEach(Runnable::run);
  }

  private void checkFence(String table, String key, String partition, Fence fence) {
    if (!fence.isFenced()) {
      return;
    }
    Long stored = fences.get(fenceKey(table, key));
    if (stored != null) {
      fence.checkNotOlderThan(table, partition, stored);
    }
  }

  private void advance(String table, String key, Fence fence) {
    if (fence.isFenced()) {
      fences.put(fenceKey(table, key), fence.token());
    }
  }

  private static String fenceKey(String table, String key) {
    return table + "\u0000" + key;
  }

  private static boolean notOlder(Map<String, Object> row, Map<String, Object> stored, String v) {
    Object incoming = row.get(v);
    Object existing = stored.get(v);
    if (existing == null) {
      return true;
    }
    if (incoming == null) {
      return false;
    }
    @SuppressWarnings("unchecked")
    Comparable<Object> c = (Comparable<Object>) incoming;
    return c.compareTo(existing) >= 0;
  }

  private static boolean sameKey(Map<String, Object> a, Map<String, Object> b, List<String> keys) {
    for (String k : keys) {
      Object x = a.get(k);
      Object y = b.get(k);
      if (!(Objects.equals(x, y) || (x != null && y != null && KeyValues.same(x, y)))) {
        return false;
      }
    }
    return true;
  }

  private static List<Map<String, Object>> copy(List<? extends Map<String, ?>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(new LinkedHashMap<>(r)));
    return out;
  }
}
