package dev.pipelinereliability.dedup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The open-addressing table of one {@link Deduplicator#apply} call and what it decided: which row
 * of each key is kept, how many were removed, the removed-key sample and any conflicts. Not
 * thread-safe: one per call.
 *
 * @param <T> the row type
 */
final class DedupTable<T> {
  // Each entry packs the group's key hash (high half) with 1 + its current winner's row index
  // (low half), so a probe compares hashes without touching a second, randomly accessed array.
  private final long[] entries;
  private final int mask;
  private final boolean[] kept;
  private int removed;
  private @Nullable Map<Integer, List<Integer>> conflicts; // slot -> row indexes; null until one
  private final Object @Nullable [] recordKeys; // typed records only: row -> extracted key
  private final List<Object> sample = new ArrayList<>();
  private final int[] sampledSlots; // the groups already in the sample
  private final DedupEngine<T> engine;
  private final DedupEngine.Policy policy;
  private final int sampleSize;

  /**
   * @param engine the rules of the deduplicator
   * @param n the number of rows
   * @param recordKeys the extracted key of every row, for typed records; null for map rows
   */
  DedupTable(DedupEngine<T> engine, int n, Object @Nullable [] recordKeys) {
    this.engine = engine;
    this.policy = engine.policy();
    this.sampleSize = engine.sampleSize();
    this.sampledSlots = new int[sampleSize];
    int capacity = tableCapacity(n);
    this.entries = new long[capacity];
    this.mask = capacity - 1;
    this.kept = new boolean[n];
    this.recordKeys = recordKeys;
  }

  int home(int hash) {
    return hash & mask;
  }

  int next(int pos) {
    return (pos + 1) & mask;
  }

  /** The current winner's row index at {@code pos}, or -1 if the slot is free. */
  int rowAt(int pos) {
    return (int) entries[pos] - 1;
  }

  int hashAt(int pos) {
    return (int) (entries[pos] >>> 32);
  }

  void insert(int pos, int hash, int row) {
    entries[pos] = ((long) hash << 32) | (row + 1);
    kept[row] = true;
  }

  /**
   * Row {@code row} has the key of the group at {@code pos}, currently won by {@code winner}.
   * Keep-latest by field may pass both versions read ahead, else {@link DedupEngine#UNREAD}.
   */
  void duplicate(
      int pos,
      int winner,
      int row,
      List<?> rows,
      @Nullable Object rowVersion,
      @Nullable Object winnerVersion) {
    removed++;
    if (sample.size() < sampleSize && !sampled(pos)) {
      sampledSlots[sample.size()] = pos;
      sample.add(keyOf(rows, winner));
    }
    switch (policy) {
      case KEEP_FIRST -> {}
      case KEEP_LATEST -> {
        if (engine.newerWins(rows, winner, row, winnerVersion, rowVersion)) {
          kept[winner] = false;
          kept[row] = true;
          entries[pos] = (entries[pos] & 0xFFFFFFFF_00000000L) | (row + 1);
        }
      }
      case FAIL_ON_CONFLICT -> {
        // Only keep-latest moves a group's winner, so here it is the group's first row.
        int first = winner;
        Map<Integer, List<Integer>> found = conflicts;
        List<Integer> known = found == null ? null : found.get(pos); // lists are never null
        if (known != null) {
          if (known.size() < DedupEngine.MAX_CONFLICT_ROWS) {
            known.add(row);
          }
        } else if (!engine.sameContent(rows.get(first), rows.get(row))) {
          if (found == null) {
            found = new LinkedHashMap<>();
            conflicts = found;
          }
          List<Integer> idx = new ArrayList<>();
          idx.add(first);
          idx.add(row);
          found.put(pos, idx);
        }
      }
      default -> throw new AssertionError(policy);
    }
  }

  /** Whether the group at {@code pos} is in the sample already (a group never moves). */
  private boolean sampled(int pos) {
    for (int i = 0; i < sample.size(); i++) {
      if (sampledSlots[i] == pos) {
        return true;
      }
    }
    return false;
  }

  /** The key of a row, for the removed-key sample and the conflict report. */
  private @Nullable Object keyOf(List<?> rows, int i) {
    Object[] keys = recordKeys;
    if (keys != null) {
      return keys[i];
    }
    Map<?, ?> map = (Map<?, ?>) rows.get(i);
    String[] fields = engine.fields();
    if (fields == null) {
      throw new IllegalStateException("map rows have key fields");
    }
    Object[] values = new Object[fields.length];
    for (int f = 0; f < values.length; f++) {
      values[f] = map.get(fields[f]);
    }
    return DedupKey.of(values);
  }

  DedupResult<T> finish(List<? extends T> rows) {
    Map<Integer, List<Integer>> found = conflicts;
    if (found != null) {
      List<DuplicateConflict> report = new ArrayList<>();
      for (List<Integer> idx : found.values()) {
        if (report.size() >= Math.max(sampleSize, 1)) {
          break;
        }
        report.add(new DuplicateConflict(keyOf(rows, idx.get(0)), idx));
      }
      throw new ConflictingDuplicatesException(found.size(), report);
    }
    int n = kept.length;
    Object[] out = new Object[n - removed];
    for (int i = 0, j = 0; i < n; i++) {
      if (kept[i]) {
        out[j++] = rows.get(i);
      }
    }
    return new DedupResult<>(new KeptRows<>(out), n, removed, sample);
  }

  private static int tableCapacity(int n) {
    // Load factor at most 0.5 keeps linear probes short.
    long want = Math.max(16L, 2L * n);
    long cap = Long.highestOneBit(want - 1) << 1;
    if (cap > (1 << 30)) {
      throw new IllegalArgumentException("too many rows for one dedup: " + n);
    }
    return (int) cap;
  }
}
