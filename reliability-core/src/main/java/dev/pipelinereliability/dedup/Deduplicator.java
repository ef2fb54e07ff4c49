package dev.pipelinereliability.dedup;

import java.util.ArrayList;
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
 * <p>Cost: one pass, no per-row allocation for map rows; an open-addressing table of ints sized for
 * the input. Memory is at most about {@code 4 * keyFields + 40} bytes per row beyond the input.
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

  private final List<String> keyFields; // null for typed records
  private final Function<? super T, ?> keyExtractor; // null for map rows
  private final Policy policy;
  private final String versionField; // keep-latest by field, map rows only
  private final Comparator<? super T> comparator; // keep-latest by comparator
  private final TieBreak tieBreak;
  private final int sampleSize;

  private Deduplicator(Builder<T> b) {
    this.keyFields = b.keyFields;
    this.keyExtractor = b.keyExtractor;
    this.policy = b.policy;
    this.versionField = b.versionField;
    this.comparator = b.comparator;
    this.tieBreak = b.tieBreak;
    this.sampleSize = b.sampleSize;
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
   * @param input the rows; not modified
   * @return the kept rows in input order, the removed count and a sample of removed keys
   * @throws IllegalArgumentException if a row is null, or a map row lacks a key field, or a row
   *     that shares its key lacks the version field (the message names the row index and the
   *     field), or two versions cannot be compared
   * @throws ConflictingDuplicatesException under {@link Builder#failOnConflict()} when rows with
   *     one key differ
   */
  public DedupResult<T> apply(List<? extends T> input) {
    Objects.requireNonNull(input, "input");
    int n = input.size();
    Object[] rows = input.toArray();
    int k = keyFields == null ? 1 : keyFields.size();
    Object[] keys = new Object[n * k];
    int[] hashes = new int[n];
    extract(rows, keys, hashes, k);

    int capacity = tableCapacity(n);
    int mask = capacity - 1;
    // Each entry packs the group's key hash (high half) with 1 + its current winner's row index
    // (low half), so a probe compares hashes without touching a second, randomly accessed array.
    long[] table = new long[capacity];
    int[] firstOfGroup = policy == Policy.FAIL_ON_CONFLICT ? new int[capacity] : null;
    boolean[] kept = new boolean[n];
    int removed = 0;
    Map<Integer, List<Integer>> conflicts = null; // slot -> row indexes
    List<Object> sample = new ArrayList<>(Math.min(sampleSize, 16));

    for (int i = 0; i < n; i++) {
      int h = hashes[i];
      int pos = h & mask;
      long hashBits = (long) h << 32;
      int slot;
      long entry;
      while ((slot = (int) (entry = table[pos])) != 0) {
        if ((int) (entry >>> 32) == h && sameKey(keys, i, slot - 1, k)) {
          break;
        }
        pos = (pos + 1) & mask;
      }
      if (slot == 0) {
        table[pos] = hashBits | (i + 1);
        if (firstOfGroup != null) {
          firstOfGroup[pos] = i;
        }
        kept[i] = true;
        continue;
      }
      removed++;
      int winner = slot - 1;
      if (sample.size() < sampleSize) {
        Object key = keyOf(keys, winner, k);
        if (!sample.contains(key)) {
          sample.add(key);
        }
      }
      switch (policy) {
        case KEEP_FIRST:
          break;
        case KEEP_LATEST:
          if (newerWins(rows, winner, i)) {
            kept[winner] = false;
            kept[i] = true;
            table[pos] = hashBits | (i + 1);
          }
          break;
        case FAIL_ON_CONFLICT:
          int first = firstOfGroup[pos];
          if (conflicts != null && conflicts.containsKey(pos)) {
            List<Integer> idx = conflicts.get(pos);
            if (idx.size() < MAX_CONFLICT_ROWS) {
              idx.add(i);
            }
          } else if (!sameContent(rows[first], rows[i])) {
            if (conflicts == null) {
              conflicts = new LinkedHashMap<>();
            }
            List<Integer> idx = new ArrayList<>();
            idx.add(first);
            idx.add(i);
            conflicts.put(pos, idx);
          }
          break;
        default:
          throw new AssertionError(policy);
      }
    }

    if (conflicts != null) {
      List<DuplicateConflict> report = new ArrayList<>();
      for (Map.Entry<Integer, List<Integer>> e : conflicts.entrySet()) {
        if (report.size() >= Math.max(sampleSize, 1)) {
          break;
        }
        List<Integer> idx = e.getValue();
        report.add(new DuplicateConflict(keyOf(keys, idx.get(0), k), idx));
      }
      throw new ConflictingDuplicatesException(conflicts.size(), report);
    }

    List<T> out = new ArrayList<>(n - removed);
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        @SuppressWarnings("unchecked")
        T row = (T) rows[i];
        out.add(row);
      }
    }
    return new DedupResult<>(out, n, removed, sample);
  }

  private void extract(Object[] rows, Object[] keys, int[] hashes, int k) {
    if (keyFields == null) {
      for (int i = 0; i < rows.length; i++) {
        Object row = rows[i];
        if (row == null) {
          throw new IllegalArgumentException("row " + i + " is null");
        }
        @SuppressWarnings("unchecked")
        T t = (T) row;
        Object key = keyExtractor.apply(t);
        keys[i] = key;
        hashes[i] = KeyValues.finish(KeyValues.hash(key));
      }
      return;
    }
    String[] fields = keyFields.toArray(new String[0]);
    for (int i = 0; i < rows.length; i++) {
      Object row = rows[i];
      if (!(row instanceof Map)) {
        throw new IllegalArgumentException(
            "row " + i + " is " + (row == null ? "null" : "not a Map: " + row.getClass()));
      }
      Map<?, ?> map = (Map<?, ?>) row;
      int h = KeyValues.SEED;
      int base = i * k;
      for (int f = 0; f < k; f++) {
        Object v = map.get(fields[f]);
        if (v == null && !map.containsKey(fields[f])) {
          throw missingField(i, fields[f], map);
        }
        keys[base + f] = v;
        h = KeyValues.combine(h, KeyValues.hash(v));
      }
      hashes[i] = KeyValues.finish(h);
    }
  }

  private static IllegalArgumentException missingField(int row, String field, Map<?, ?> map) {
    return new IllegalArgumentException(
        "row " + row + " has no field '" + field + "' (it has " + map.keySet() + ")");
  }

  private static boolean sameKey(Object[] keys, int i, int j, int k) {
    int a = i * k;
    int b = j * k;
    for (int f = 0; f < k; f++) {
      if (!KeyValues.same(keys[a + f], keys[b + f])) {
        return false;
      }
    }
    return true;
  }

  private Object keyOf(Object[] keys, int i, int k) {
    if (keyFields == null) {
      return keys[i];
    }
    Object[] values = new Object[k];
    System.arraycopy(keys, i * k, values, 0, k);
    return DedupKey.of(values);
  }

  /** Whether row {@code later} (after {@code current} in the input) replaces the current winner. */
  @SuppressWarnings("unchecked")
  private boolean newerWins(Object[] rows, int current, int later) {
    int c;
    if (versionField != null) {
      // Read only for rows that share a key: most rows never need their version.
      Object laterVersion = version(rows, later);
      Object currentVersion = version(rows, current);
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
      c = comparator.compare((T) rows[later], (T) rows[current]);
    }
    return c > 0 || (c == 0 && tieBreak == TieBreak.KEEP_LATER);
  }

  private Object version(Object[] rows, int i) {
    Map<?, ?> map = (Map<?, ?>) rows[i];
    Object v = map.get(versionField);
    if (v == null && !map.containsKey(versionField)) {
      throw missingField(i, versionField, map);
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
     * Builds the immutable deduplicator.
     *
     * @return the deduplicator
     */
    public Deduplicator<T> build() {
      return new Deduplicator<>(this);
    }
  }
}
