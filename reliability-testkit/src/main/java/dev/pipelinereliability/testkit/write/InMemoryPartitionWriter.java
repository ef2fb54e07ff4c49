package dev.pipelinereliability.testkit.write;

import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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

  /** A writer with {@link PartialDataGuard#ofDefaults()} as its default guard. */
  public InMemoryPartitionWriter() {
    this(PartialDataGuard.ofDefaults());
  }

  /**
   * A writer with the given default guard.
   *
   * @param defaultGuard the guard of calls that pass none
   * @throws IllegalArgumentException if {@code defaultGuard} is null
   */
  public InMemoryPartitionWriter(PartialDataGuard defaultGuard) {
    if (defaultGuard == null) {
      throw new IllegalArgumentException("defaultGuard must not be null");
    }
    this.defaultGuard = defaultGuard;
  }

  /**
   * Runs {@code whileStalled} once, inside the next commit, after the writer's lock check and
   * before the fence is compared: the moment a stalled holder sits between its check and its
   * commit. Tests let another holder commit there. It runs without this writer's monitor held and
   * is removed before it runs, so it may itself write through this writer.
   *
   * @param whileStalled what happens during the stall
   * @throws IllegalArgumentException if {@code whileStalled} is null
   */
  public void duringNextCommit(Runnable whileStalled) {
    if (whileStalled == null) {
      throw new IllegalArgumentException("whileStalled must not be null");
    }
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
    requireTable(table);
    if (partition == null) {
      throw new IllegalArgumentException("partition must not be null");
    }
    requirePartitionValue(partition);
    requireInPartition(rows, partition);
    requireFence(fence);
    if (guard == null) {
      throw new IllegalArgumentException("guard must not be null (use PartialDataGuard.off())");
    }
    List<Map<String, Object>> copies = copy(rows);
    beforeCommit(fence);
    synchronized (this) {
      String key = keyText(partition.value());
      checkFence(table, key, describe(Optional.of(partition)), fence);
      List<Map<String, Object>> stored = tables.computeIfAbsent(table, t -> new ArrayList<>());
      long current = stored.stream().filter(r -> inPartition(r, partition)).count();
      if (guard.refuses(current, copies.size())) {
        throw new PartialDataException(
            table, describe(Optional.of(partition)), current, copies.size(), guard, null);
      }
      stored.removeIf(r -> inPartition(r, partition));
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
    requireTable(table);
    if (keyColumns == null || keyColumns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is needed, got " + keyColumns);
    }
    if (versionColumn == null || partition == null) {
      throw new IllegalArgumentException("versionColumn and partition must not be null");
    }
    partition.ifPresent(
        p -> {
          requirePartitionValue(p);
          requireInPartition(rows, p);
        });
    for (int i = 0; i < rows.size(); i++) {
      for (String k : keyColumns) {
        if (!rows.get(i).containsKey(k)) {
          throw new IllegalArgumentException("row " + i + " lacks key column " + k);
        }
      }
    }
    requireFence(fence);
    Deduplicator.Builder<Map<String, Object>> dedup = Deduplicator.forRows(keyColumns);
    versionColumn.ifPresent(dedup::keepLatestBy);
    DedupResult<Map<String, Object>> deduped = dedup.build().apply(copy(rows));
    beforeCommit(fence);
    synchronized (this) {
      String key = partition.map(p -> keyText(p.value())).orElse("");
      checkFence(table, key, describe(partition), fence);
      List<Map<String, Object>> stored = tables.computeIfAbsent(table, t -> new ArrayList<>());
      long inserted = 0;
      long updated = 0;
      for (Map<String, Object> row : deduped.rows()) {
        Map<String, Object> match = null;
        for (Map<String, Object> s : stored) {
          if (partition.map(p -> inPartition(s, p)).orElse(true) && sameKey(s, row, keyColumns)) {
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
        .filter(r -> inPartition(r, partition))
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
        fences.get(fenceKey(table, partitionValue == null ? "" : keyText(partitionValue))));
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
    if (stored != null && stored > fence.token()) {
      throw new StaleFenceException(table, partition, fence.token(), stored, null);
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

  private static boolean inPartition(Map<String, ?> row, PartitionFilter partition) {
    Object v = row.get(partition.column());
    return v != null
        && (KeyValues.same(v, partition.value())
            || v.toString().equals(partition.value().toString()));
  }

  private static void requireInPartition(
      List<? extends Map<String, ?>> rows, PartitionFilter partition) {
    if (rows == null) {
      throw new IllegalArgumentException("rows must not be null");
    }
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == null) {
        throw new IllegalArgumentException("row " + i + " is null");
      }
      if (!inPartition(rows.get(i), partition)) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + partition.column()
                + " = "
                + rows.get(i).get(partition.column())
                + ", outside the partition "
                + describe(Optional.of(partition)));
      }
    }
  }

  private static void requirePartitionValue(PartitionFilter partition) {
    Object v = partition.value();
    boolean bindable =
        v instanceof LocalDate
            || v instanceof String
            || v instanceof Long
            || v instanceof Integer
            || v instanceof Short
            || v instanceof Instant
            || v instanceof LocalDateTime
            || v instanceof Boolean
            || v instanceof BigDecimal;
    if (!bindable) {
      throw new IllegalArgumentException(
          "unsupported partition value type "
              + v.getClass().getName()
              + " (use LocalDate, String, Long, Integer, Instant, LocalDateTime, Boolean or"
              + " BigDecimal): "
              + v);
    }
  }

  private static String keyText(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }

  private static void requireTable(String table) {
    if (table == null || table.isBlank()) {
      throw new IllegalArgumentException("table is blank: '" + table + "'");
    }
  }

  private static void requireFence(Fence fence) {
    if (fence == null) {
      throw new IllegalArgumentException(
          "fence must not be null: pass Fence.of(lockHandle), or Fence.unfenced() to write"
              + " without a lock");
    }
  }

  private static String describe(Optional<PartitionFilter> p) {
    return p.map(f -> f.column() + " = " + f.value()).orElse("whole table");
  }

  private static List<Map<String, Object>> copy(List<? extends Map<String, ?>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(new LinkedHashMap<>(r)));
    return out;
  }
}
