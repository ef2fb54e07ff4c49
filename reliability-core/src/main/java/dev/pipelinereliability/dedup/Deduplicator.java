package dev.pipelinereliability.dedup;

import com.google.common.collect.ImmutableList;
import dev.pipelinereliability.telemetry.DedupMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Removes rows that share a business key before they are written, so that a MERGE never sees two
 * source rows for one target row and a partition is never written with duplicates.
 *
 * <p>Build one per key definition and reuse it:
 *
 * <pre>{@code
 * Deduplicator<Map<String, Object>> dedup =
 *     Deduplicator.forRows(List.of("player_lookup", "game_id", "system_id", "line_value"))
 *         .keepLatestBy("processed_at")
 *         .build();
 * DedupResult<Map<String, Object>> result = dedup.apply(rows);
 * }</pre>
 *
 * <p>Policies:
 *
 * <ul>
 *   <li>{@link Builder#keepFirst()} (the default): the first row of each key in input order wins.
 *   <li>{@link Builder#keepLatestBy(String)} / {@link Builder#keepLatest(Comparator)}: the greatest
 *       row wins; NULL versions are older than any value. Ties are broken by input position, as
 *       {@link Builder#tieBreak(TieBreak)} says (earlier row by default), so the outcome never
 *       depends on hashing.
 *   <li>{@link Builder#failOnConflict()}: rows with one key must be identical (the first is kept);
 *       if any key has rows that differ, {@link #apply} throws {@link
 *       ConflictingDuplicatesException} naming the keys and row positions.
 * </ul>
 *
 * <p>Keys compare as BigQuery's {@code GROUP BY} would group them; see {@link KeyValues} for the
 * exact rule ({@code 1} and {@code 1L} are one key, {@code 1} and {@code 1.0} are two, NULLs group
 * together).
 *
 * <p>Cost: one pass over the rows. Each row's key fields are read once; an earlier row's are read
 * again only when a later row's hash matches it, and a group's key is built (a {@link DedupKey})
 * only for the removed-key sample and the conflict report. Map rows are read in small batches so
 * that the memory lookups of several rows overlap: on 1M map rows with a 4-field key the {@code
 * dedup} benchmark in {@code examples/benchmarks} measured 3.6 to 4.4 times the speed of {@code
 * stream().collect(toMap(List.of(key fields), ...))} on a quiet 2-core machine. Memory beyond the
 * input: an open-addressing table of 16 to 32 bytes per row (at least 16 entries), a flag per row
 * and the kept-row list; typed records also hold their extracted keys for the duration of the call.
 * An {@code ArrayList}, {@code Arrays.asList}, {@code List.of} or Guava {@code ImmutableList} input
 * is read in place; any other list is copied first, so that each row is taken from it once.
 *
 * <p>Instances are immutable and thread-safe; {@link #apply} may run concurrently on different
 * inputs.
 *
 * @param <T> the row type
 */
public final class Deduplicator<T> {

  /** Which row wins when keep-latest finds two rows with equal versions. */
  public enum TieBreak {
    /** The row earlier in the input wins (default). */
    KEEP_EARLIER,
    /** The row later in the input wins. */
    KEEP_LATER
  }

  private enum Policy {
    KEEP_FIRST,
    KEEP_LATEST,
    FAIL_ON_CONFLICT
  }

  private static final int MAX_CONFLICT_ROWS = 16;

  /**
   * Rows read together per stage. Large enough to keep several cache misses in flight, small enough
   * that a batch's maps and values stay in the L1 cache between stages.
   */
  private static final int BATCH = 8;

  private final List<String> keyFields; // null for typed records
  private final Function<? super T, ?> keyExtractor; // null for map rows
  private final Policy policy;
  private final String versionField; // keep-latest by field, map rows only
  private final Comparator<? super T> comparator; // keep-latest by comparator
  private final TieBreak tieBreak;
  private final int sampleSize;
  private final DedupMetrics metrics;

  private Deduplicator(Builder<T> b) {
    this.keyFields = b.keyFields;
    this.keyExtractor = b.keyExtractor;
    this.policy = b.policy;
    this.versionField = b.versionField;
    this.comparator = b.comparator;
    this.tieBreak = b.tieBreak;
    this.sampleSize = b.sampleSize;
    this.metrics =
        (b.openTelemetry == null
                ? ReliabilityTelemetry.global()
                : ReliabilityTelemetry.of(b.openTelemetry))
            .dedup();
  }

  /**
   * Starts a deduplicator for map rows (for example BigQuery insert rows) keyed by the named
   * fields.
   *
   * @param keyFields the key field names, in key order; at least one, no blanks or repeats
   * @return a builder, keep-first by default
   * @throws IllegalArgumentException if a field name is null, blank or repeated, or none is given
   */
  public static Builder<Map<String, Object>> forRows(List<String> keyFields) {
    if (keyFields == null || keyFields.isEmpty()) {
      throw new IllegalArgumentException("at least one key field is needed, got " + keyFields);
    }
    for (int i = 0; i < keyFields.size(); i++) {
      String f = keyFields.get(i);
      if (f == null || f.isBlank()) {
        throw new IllegalArgumentException("key field " + i + " is blank: '" + f + "'");
      }
      if (keyFields.indexOf(f) != i) {
        throw new IllegalArgumentException("key field '" + f + "' is repeated in " + keyFields);
      }
    }
    return new Builder<>(List.copyOf(keyFields), null);
  }

  /**
   * Starts a deduplicator for map rows keyed by the named fields.
   *
   * @param keyFields the key field names, in key order
   * @return a builder, keep-first by default
   * @throws IllegalArgumentException as {@link #forRows(List)}
   */
  public static Builder<Map<String, Object>> forRows(String... keyFields) {
    return forRows(List.of(keyFields));
  }

  /**
   * Starts a deduplicator for typed records. The extractor's results are compared with {@link
   * KeyValues#same} (so a {@code List} or {@link DedupKey} of parts gets BigQuery semantics, and
   * any other object its own {@code equals}).
   *
   * @param keyExtractor returns the key of a record; may return null (all null keys group together)
   * @param <T> the record type
   * @return a builder, keep-first by default
   * @throws IllegalArgumentException if {@code keyExtractor} is null
   */
  public static <T> Builder<T> forRecords(Function<? super T, ?> keyExtractor) {
    if (keyExtractor == null) {
      throw new IllegalArgumentException("keyExtractor must not be null");
    }
    return new Builder<>(null, keyExtractor);
  }

  /**
   * Removes duplicates from {@code input}.
   *
   * @param input the rows; not modified, and not to be changed by another thread during the call
   * @return the kept rows in input order (an unmodifiable list that later changes to {@code input}
   *     do not reach), the removed count and a sample of removed keys
   * @throws IllegalArgumentException if a row is null, or a map row lacks a key field, or a row
   *     that shares its key lacks the version field (the message names the row index and the
   *     field), or two versions cannot be compared
   * @throws ConflictingDuplicatesException under {@link Builder#failOnConflict()} when rows with
   *     one key differ
   */
  public DedupResult<T> apply(List<? extends T> input) {
    Objects.requireNonNull(input, "input");
    List<? extends T> rows = readsInPlace(input) ? input : Arrays.asList(input.toArray(noRows()));
    DedupResult<T> result = keyFields == null ? applyToRecords(rows) : applyToMaps(rows);
    metrics.deduplicated(result.inputCount(), result.removedCount());
    return result;
  }

  private static final Class<?> ARRAYS_AS_LIST = Arrays.asList().getClass();
  private static final Class<?> JDK_LIST_12 = List.of(1).getClass();
  private static final Class<?> JDK_LIST_N = List.of(1, 2, 3).getClass();

  /**
   * Whether {@code rows} is a list known to hand back the same stored elements on every {@code
   * get}, cheaply: then it is read in place, since copying a million references into a new array
   * costs a GC write barrier per element, a tenth of the whole dedup. Any other list (a computed
   * view, a copy-on-write list, a linked list) is copied once, so each row is read from it once.
   */
  private static boolean readsInPlace(List<?> rows) {
    Class<?> type = rows.getClass();
    return type == ArrayList.class
        || type == ARRAYS_AS_LIST
        || type == JDK_LIST_12
        || type == JDK_LIST_N
        || rows instanceof ImmutableList;
  }

  @SuppressWarnings("unchecked")
  private T[] noRows() {
    return (T[]) new Object[0];
  }

  /**
   * Map rows. Most of the time goes to cache misses: each row's map, its entries and its values lie
   * anywhere on the heap. Rows are therefore handled in small batches, in stages that each do one
   * kind of lookup across the whole batch (the maps, then one key field at a time, then the values'
   * hashes, then the table). The lookups of a stage do not depend on each other, so the CPU keeps
   * several misses in flight instead of waiting for one after another; this is what makes the dedup
   * several times faster than a {@code HashMap} of key lists.
   *
   * <p>Rows whose hash is already in the table are checked against that group's row in stages of
   * their own, after the batch's new keys are placed. Only the batch's key values are held; an
   * earlier row's values are read again from its map, which happens only for rows that share a hash
   * with an earlier one. A shared hash with a different key (rare: about one row in {@code 2^32 /
   * n}) falls back to a plain probe that compares every candidate.
   */
  private DedupResult<T> applyToMaps(List<? extends T> rows) {
    int n = rows.size();
    int k = keyFields.size();
    String[] fields = keyFields.toArray(new String[0]);
    Table table = new Table(n, null);
    Map<?, ?>[] batch = new Map<?, ?>[BATCH];
    Object[] values = new Object[BATCH * k];
    int[] hashes = new int[BATCH];
    // Rows of the batch whose hash was found: batch position, table slot, that slot's row then.
    int[] dupOf = new int[BATCH];
    int[] dupPos = new int[BATCH];
    int[] dupWinner = new int[BATCH];
    Map<?, ?>[] others = new Map<?, ?>[BATCH];
    Object[] otherValues = new Object[BATCH * k];
    Object[] laterVersions = versionField == null ? null : new Object[BATCH];
    Object[] winnerVersions = versionField == null ? null : new Object[BATCH];
    for (int start = 0; start < n; start += BATCH) {
      int size = Math.min(BATCH, n - start);
      // A bad row ends the batch early: the rows before it are deduplicated as usual (and may raise
      // an error of their own, which then comes first), and its error is raised after them, so the
      // error named is the one a row-at-a-time pass would meet first.
      IllegalArgumentException badRow = null;
      for (int b = 0; b < size; b++) {
        Object row = rows.get(start + b);
        if (!(row instanceof Map)) {
          badRow = notAMap(row, start + b);
          size = b;
          break;
        }
        batch[b] = (Map<?, ?>) row;
      }
      boolean fieldMissing = false;
      for (int f = 0; f < k; f++) {
        String field = fields[f];
        for (int b = 0; b < size; b++) {
          Object v = batch[b].get(field);
          fieldMissing |= v == null && !batch[b].containsKey(field);
          values[b * k + f] = v;
        }
      }
      if (fieldMissing) {
        int b = firstMissingField(batch, size, fields);
        badRow = missingField(start + b, firstMissing(batch[b], fields), batch[b]);
        size = b;
      }
      for (int b = 0; b < size; b++) {
        int h = KeyValues.SEED;
        for (int f = 0, base = b * k; f < k; f++) {
          h = KeyValues.combine(h, KeyValues.hash(values[base + f]));
        }
        hashes[b] = KeyValues.finish(h);
      }
      // New hashes go straight in, in input order; a later row of this batch with the same key
      // then finds its group here like any other duplicate.
      int dups = 0;
      for (int b = 0; b < size; b++) {
        int h = hashes[b];
        int pos = table.home(h);
        int slot;
        while ((slot = table.rowAt(pos)) >= 0 && table.hashAt(pos) != h) {
          pos = table.next(pos);
        }
        if (slot < 0) {
          table.insert(pos, h, start + b);
        } else {
          dupOf[dups] = b;
          dupPos[dups] = pos;
          dupWinner[dups] = slot;
          dups++;
        }
      }
      if (dups == 0) {
        if (badRow != null) {
          throw badRow;
        }
        continue;
      }
      for (int d = 0; d < dups; d++) {
        others[d] = (Map<?, ?>) rows.get(dupWinner[d]);
      }
      for (int f = 0; f < k; f++) {
        String field = fields[f];
        for (int d = 0; d < dups; d++) {
          otherValues[d * k + f] = others[d].get(field);
        }
      }
      if (versionField != null) {
        for (int d = 0; d < dups; d++) {
          laterVersions[d] = versionOrMissing(batch[dupOf[d]]);
          winnerVersions[d] = versionOrMissing(others[d]);
        }
      }
      // Decisions in input order, so that each duplicate meets the winner the rows before it left.
      for (int d = 0; d < dups; d++) {
        int b = dupOf[d];
        int i = start + b;
        int pos = dupPos[d];
        if (!sameValues(values, b * k, otherValues, d * k, k)) {
          // Same hash, different key: probe on, comparing keys in full.
          pos = table.next(pos);
          int slot;
          while ((slot = table.rowAt(pos)) >= 0) {
            if (table.hashAt(pos) == hashes[b]
                && sameKey(values, b * k, (Map<?, ?>) rows.get(slot), fields)) {
              break;
            }
            pos = table.next(pos);
          }
          if (slot < 0) {
            table.insert(pos, hashes[b], i);
          } else {
            table.duplicate(pos, slot, i, rows, UNREAD, UNREAD);
          }
          continue;
        }
        int winner = table.rowAt(pos);
        if (versionField == null) {
          table.duplicate(pos, winner, i, rows, UNREAD, UNREAD);
        } else {
          // The winner may have changed since it was read, to a row earlier in this batch.
          Object winnerVersion =
              winner == dupWinner[d] ? winnerVersions[d] : versionOrMissing(rows.get(winner));
          table.duplicate(pos, winner, i, rows, laterVersions[d], winnerVersion);
        }
      }
      if (badRow != null) {
        throw badRow;
      }
    }
    return table.finish(rows);
  }

  /** Marks a version field a row lacks; the error is raised when the row is compared. */
  private static final Object MISSING = new Object();

  /** Marks a version not read ahead; {@link #newerWins} reads it from the row. */
  private static final Object UNREAD = new Object();

  private Object versionOrMissing(Object row) {
    Map<?, ?> map = (Map<?, ?>) row;
    Object v = map.get(versionField);
    return v == null && !map.containsKey(versionField) ? MISSING : v;
  }

  private static boolean sameValues(Object[] a, int aBase, Object[] b, int bBase, int k) {
    for (int f = 0; f < k; f++) {
      if (!KeyValues.same(a[aBase + f], b[bBase + f])) {
        return false;
      }
    }
    return true;
  }

  private DedupResult<T> applyToRecords(List<? extends T> rows) {
    int n = rows.size();
    Object[] keys = new Object[n];
    Table table = new Table(n, keys);
    for (int i = 0; i < n; i++) {
      T row = rows.get(i);
      if (row == null) {
        throw new IllegalArgumentException("row " + i + " is null");
      }
      Object key = keyExtractor.apply(row);
      keys[i] = key;
      int h = KeyValues.finish(KeyValues.hash(key));
      int pos = table.home(h);
      int slot;
      while ((slot = table.rowAt(pos)) >= 0) {
        if (table.hashAt(pos) == h && KeyValues.same(key, keys[slot])) {
          break;
        }
        pos = table.next(pos);
      }
      if (slot < 0) {
        table.insert(pos, h, i);
      } else {
        table.duplicate(pos, slot, i, rows, UNREAD, UNREAD);
      }
    }
    return table.finish(rows);
  }

  private static IllegalArgumentException notAMap(Object row, int i) {
    return new IllegalArgumentException(
        "row " + i + " is " + (row == null ? "null" : "not a Map: " + row.getClass()));
  }

  /** The batch position of the first row that lacks a key field (one is known to). */
  private static int firstMissingField(Map<?, ?>[] batch, int size, String[] fields) {
    for (int b = 0; b < size; b++) {
      if (firstMissing(batch[b], fields) != null) {
        return b;
      }
    }
    throw new IllegalStateException("a key field went missing while the rows were being read");
  }

  /** The first key field, in key order, that {@code row} lacks, or null. */
  private static String firstMissing(Map<?, ?> row, String[] fields) {
    for (String field : fields) {
      if (row.get(field) == null && !row.containsKey(field)) {
        return field;
      }
    }
    return null;
  }

  private static boolean sameKey(Object[] values, int base, Map<?, ?> other, String[] fields) {
    for (int f = 0; f < fields.length; f++) {
      if (!KeyValues.same(values[base + f], other.get(fields[f]))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The open-addressing table of one {@link #apply} call and what it decided: which row of each key
   * is kept, how many were removed, the removed-key sample and any conflicts.
   */
  private final class Table {
    // Each entry packs the group's key hash (high half) with 1 + its current winner's row index
    // (low half), so a probe compares hashes without touching a second, randomly accessed array.
    private final long[] entries;
    private final int mask;
    private final boolean[] kept;
    private int removed;
    private Map<Integer, List<Integer>> conflicts; // slot -> row indexes
    private final Object[] recordKeys; // typed records only: row -> extracted key
    private final List<Object> sample = new ArrayList<>();
    private final int[] sampledSlots = new int[sampleSize]; // the groups already in the sample

    /**
     * @param n the number of rows
     * @param recordKeys the extracted key of every row, for typed records; null for map rows
     */
    Table(int n, Object[] recordKeys) {
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
     * Keep-latest by field may pass both versions read ahead, else {@link #UNREAD}.
     */
    void duplicate(
        int pos, int winner, int row, List<?> rows, Object rowVersion, Object winnerVersion) {
      removed++;
      if (sample.size() < sampleSize && !sampled(pos)) {
        sampledSlots[sample.size()] = pos;
        sample.add(keyOf(rows, winner));
      }
      switch (policy) {
        case KEEP_FIRST -> {}
        case KEEP_LATEST -> {
          if (newerWins(rows, winner, row, winnerVersion, rowVersion)) {
            kept[winner] = false;
            kept[row] = true;
            entries[pos] = (entries[pos] & 0xFFFFFFFF_00000000L) | (row + 1);
          }
        }
        case FAIL_ON_CONFLICT -> {
          // Only keep-latest moves a group's winner, so here it is the group's first row.
          int first = winner;
          if (conflicts != null && conflicts.containsKey(pos)) {
            List<Integer> idx = conflicts.get(pos);
            if (idx.size() < MAX_CONFLICT_ROWS) {
              idx.add(row);
            }
          } else if (!sameContent(rows.get(first), rows.get(row))) {
            if (conflicts == null) {
              conflicts = new LinkedHashMap<>();
            }
            List<Integer> idx = new ArrayList<>();
            idx.add(first);
            idx.add(row);
            conflicts.put(pos, idx);
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
    private Object keyOf(List<?> rows, int i) {
      if (recordKeys != null) {
        return recordKeys[i];
      }
      Map<?, ?> map = (Map<?, ?>) rows.get(i);
      Object[] values = new Object[keyFields.size()];
      for (int f = 0; f < values.length; f++) {
        values[f] = map.get(keyFields.get(f));
      }
      return DedupKey.of(values);
    }

    DedupResult<T> finish(List<? extends T> rows) {
      if (conflicts != null) {
        List<DuplicateConflict> report = new ArrayList<>();
        for (List<Integer> idx : conflicts.values()) {
          if (report.size() >= Math.max(sampleSize, 1)) {
            break;
          }
          report.add(new DuplicateConflict(keyOf(rows, idx.get(0)), idx));
        }
        throw new ConflictingDuplicatesException(conflicts.size(), report);
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
  }

  private static IllegalArgumentException missingField(int row, String field, Map<?, ?> map) {
    return new IllegalArgumentException(
        "row " + row + " has no field '" + field + "' (it has " + map.keySet() + ")");
  }

  /** Whether row {@code later} (after {@code current} in the input) replaces the current winner. */
  @SuppressWarnings("unchecked")
  private boolean newerWins(
      List<?> rows, int current, int later, Object currentVersion, Object laterVersion) {
    int c;
    if (versionField != null) {
      // Read only for rows that share a key: most rows never need their version.
      laterVersion = version(rows, later, laterVersion);
      currentVersion = version(rows, current, currentVersion);
      try {
        c = KeyValues.compareVersions(laterVersion, currentVersion);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "rows "
                + current
                + " and "
                + later
                + ": field '"
                + versionField
                + "': "
                + e.getMessage(),
            e);
      }
    } else {
      c = comparator.compare((T) rows.get(later), (T) rows.get(current));
    }
    return c > 0 || (c == 0 && tieBreak == TieBreak.KEEP_LATER);
  }

  private Object version(List<?> rows, int i, Object readAhead) {
    Object v = readAhead == UNREAD ? versionOrMissing(rows.get(i)) : readAhead;
    if (v == MISSING) {
      throw missingField(i, versionField, (Map<?, ?>) rows.get(i));
    }
    return v;
  }

  private boolean sameContent(Object a, Object b) {
    if (keyFields == null) {
      return Objects.equals(a, b);
    }
    Map<?, ?> ma = (Map<?, ?>) a;
    Map<?, ?> mb = (Map<?, ?>) b;
    if (!ma.keySet().equals(mb.keySet())) {
      return false;
    }
    for (Map.Entry<?, ?> e : ma.entrySet()) {
      if (!KeyValues.same(e.getValue(), mb.get(e.getKey()))) {
        return false;
      }
    }
    return true;
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

  /**
   * Configures a {@link Deduplicator}. Not thread-safe; build once and share the result.
   *
   * @param <T> the row type
   */
  public static final class Builder<T> {
    private final List<String> keyFields;
    private final Function<? super T, ?> keyExtractor;
    private Policy policy = Policy.KEEP_FIRST;
    private String versionField;
    private Comparator<? super T> comparator;
    private TieBreak tieBreak = TieBreak.KEEP_EARLIER;
    private int sampleSize = 10;
    private OpenTelemetry openTelemetry;

    private Builder(List<String> keyFields, Function<? super T, ?> keyExtractor) {
      this.keyFields = keyFields;
      this.keyExtractor = keyExtractor;
    }

    /**
     * Keeps the first row of each key in input order (the default).
     *
     * @return this builder
     */
    public Builder<T> keepFirst() {
      policy = Policy.KEEP_FIRST;
      versionField = null;
      comparator = null;
      return this;
    }

    /**
     * Keeps, for each key, the row whose {@code field} is greatest (for example {@code
     * processed_at}). NULL is older than any value. Only for map rows built with {@link
     * Deduplicator#forRows(List)}. Every row that shares its key with another must have the field
     * (a row with a unique key is never compared, so its version is not read).
     *
     * @param field the version field
     * @return this builder
     * @throws IllegalArgumentException if {@code field} is blank
     * @throws IllegalStateException if this builder is for typed records (use {@link
     *     #keepLatest(Comparator)})
     */
    public Builder<T> keepLatestBy(String field) {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException("version field is blank: '" + field + "'");
      }
      if (keyFields == null) {
        throw new IllegalStateException(
            "keepLatestBy(\"" + field + "\") needs map rows; use keepLatest(Comparator)");
      }
      policy = Policy.KEEP_LATEST;
      versionField = field;
      comparator = null;
      return this;
    }

    /**
     * Keeps, for each key, the greatest row by {@code comparator}.
     *
     * @param comparator orders rows from older to newer
     * @return this builder
     * @throws IllegalArgumentException if {@code comparator} is null
     */
    public Builder<T> keepLatest(Comparator<? super T> comparator) {
      if (comparator == null) {
        throw new IllegalArgumentException("comparator must not be null");
      }
      policy = Policy.KEEP_LATEST;
      versionField = null;
      this.comparator = comparator;
      return this;
    }

    /**
     * Removes identical duplicates (keeping the first) and throws {@link
     * ConflictingDuplicatesException} if rows with one key differ in any field. Map rows compare
     * field by field with {@link KeyValues#same}; typed records with {@code equals}.
     *
     * @return this builder
     */
    public Builder<T> failOnConflict() {
      policy = Policy.FAIL_ON_CONFLICT;
      versionField = null;
      comparator = null;
      return this;
    }

    /**
     * Sets which row wins when keep-latest finds equal versions.
     *
     * @param tieBreak the rule
     * @return this builder
     * @throws IllegalArgumentException if {@code tieBreak} is null
     */
    public Builder<T> tieBreak(TieBreak tieBreak) {
      if (tieBreak == null) {
        throw new IllegalArgumentException("tieBreak must not be null");
      }
      this.tieBreak = tieBreak;
      return this;
    }

    /**
     * Sets how many removed keys (and conflicts) are reported; 10 by default.
     *
     * @param sampleSize 0 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<T> sampleSize(int sampleSize) {
      if (sampleSize < 0 || sampleSize > 1000) {
        throw new IllegalArgumentException("sampleSize must be 0..1000, got " + sampleSize);
      }
      this.sampleSize = sampleSize;
      return this;
    }

    /**
     * Sets where the deduplicator counts rows in and rows removed ({@code
     * pipeline_reliability.dedup.rows.in} / {@code .removed}), once per {@link #apply} call.
     * Default: {@link io.opentelemetry.api.GlobalOpenTelemetry#get()}, read once by {@link
     * #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     */
    public Builder<T> openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Builds the immutable deduplicator.
     *
     * @return the deduplicator
     */
    public Deduplicator<T> build() {
      return new Deduplicator<>(this);
    }
  }
}
