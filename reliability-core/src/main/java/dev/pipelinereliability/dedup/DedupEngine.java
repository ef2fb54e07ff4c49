package dev.pipelinereliability.dedup;

import dev.pipelinereliability.dedup.Deduplicator.TieBreak;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The rules of one {@link Deduplicator} and its two passes over the rows: map rows read in small
 * batches so that their memory lookups overlap, and typed records one at a time. Each pass fills a
 * {@link DedupTable}. Immutable and thread-safe; the passes may run concurrently on different
 * inputs.
 *
 * @param <T> the row type
 */
final class DedupEngine<T> {

  /** What decides between rows of one key. */
  enum Policy {
    KEEP_FIRST,
    KEEP_LATEST,
    FAIL_ON_CONFLICT
  }

  static final int MAX_CONFLICT_ROWS = 16;

  /**
   * Rows read together per stage. Large enough to keep several cache misses in flight, small enough
   * that a batch's maps and values stay in the L1 cache between stages.
   */
  private static final int BATCH = 8;

  private final String @Nullable [] fields; // null for typed records
  private final @Nullable Function<? super T, ?> keyExtractor; // null for map rows
  private final Policy policy;
  private final @Nullable String versionField; // keep-latest by field, map rows only
  private final @Nullable Comparator<? super T> comparator; // keep-latest by comparator
  private final TieBreak tieBreak;
  private final int sampleSize;

  DedupEngine(
      @Nullable List<String> keyFields,
      @Nullable Function<? super T, ?> keyExtractor,
      Policy policy,
      @Nullable String versionField,
      @Nullable Comparator<? super T> comparator,
      TieBreak tieBreak,
      int sampleSize) {
    this.fields = keyFields == null ? null : keyFields.toArray(new String[0]);
    this.keyExtractor = keyExtractor;
    this.policy = policy;
    this.versionField = versionField;
    this.comparator = comparator;
    this.tieBreak = tieBreak;
    this.sampleSize = sampleSize;
  }

  Policy policy() {
    return policy;
  }

  int sampleSize() {
    return sampleSize;
  }

  /** The key fields of map rows, in key order (not to be modified); null for typed records. */
  String @Nullable [] fields() {
    return fields;
  }

  /** Deduplicates {@code rows}, a list that hands back its stored elements cheaply. */
  DedupResult<T> apply(List<? extends T> rows) {
    String[] keyFields = fields;
    if (keyFields != null) {
      return applyToMaps(rows, keyFields);
    }
    Function<? super T, ?> extractor = keyExtractor;
    if (extractor == null) {
      throw new IllegalStateException("a deduplicator has key fields or a key extractor");
    }
    return applyToRecords(rows, extractor);
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
  private DedupResult<T> applyToMaps(List<? extends T> rows, String[] fields) {
    int n = rows.size();
    int k = fields.length;
    DedupTable<T> table = new DedupTable<>(this, n, null);
    Map<?, ?>[] batch = new Map<?, ?>[BATCH];
    Object[] values = new Object[BATCH * k];
    int[] hashes = new int[BATCH];
    // Rows of the batch whose hash was found: batch position, table slot, that slot's row then.
    int[] dupOf = new int[BATCH];
    int[] dupPos = new int[BATCH];
    int[] dupWinner = new int[BATCH];
    Map<?, ?>[] others = new Map<?, ?>[BATCH];
    Object[] otherValues = new Object[BATCH * k];
    Object[] laterVersions = new Object[versionField == null ? 0 : BATCH];
    Object[] winnerVersions = new Object[versionField == null ? 0 : BATCH];
    for (int start = 0; start < n; start += BATCH) {
      int size = Math.min(BATCH, n - start);
      // A bad row ends the batch early: the rows before it are deduplicated as usual (and may raise
      // an error of their own, which then comes first), and its error is raised after them, so the
      // error named is the one a row-at-a-time pass would meet first.
      RuntimeException badRow = null;
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
        String missing = firstMissing(batch[b], fields);
        if (missing == null) {
          throw new IllegalStateException(
              "a key field went missing while the rows were being read");
        }
        badRow = missingField(start + b, missing, batch[b]);
        size = b;
      }
      for (int b = 0; b < size; b++) {
        int h = KeyValues.HASH_START;
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
  static final Object MISSING = new Object();

  /** Marks a version not read ahead; {@link #newerWins} reads it from the row. */
  static final Object UNREAD = new Object();

  private @Nullable Object versionOrMissing(Object row) {
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

  private DedupResult<T> applyToRecords(
      List<? extends T> rows, Function<? super T, ?> keyExtractor) {
    int n = rows.size();
    Object[] keys = new Object[n];
    DedupTable<T> table = new DedupTable<>(this, n, keys);
    for (int i = 0; i < n; i++) {
      T row = rows.get(i);
      if (row == null) {
        throw new NullPointerException("row " + i + " is null");
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

  private static RuntimeException notAMap(Object row, int i) {
    return row == null
        ? new NullPointerException("row " + i + " is null")
        : new IllegalArgumentException("row " + i + " is not a Map: " + row.getClass());
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
  private static @Nullable String firstMissing(Map<?, ?> row, String[] fields) {
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

  private static IllegalArgumentException missingField(int row, String field, Map<?, ?> map) {
    return new IllegalArgumentException(
        "row " + row + " has no field '" + field + "' (it has " + map.keySet() + ")");
  }

  /** Whether row {@code later} (after {@code current} in the input) replaces the current winner. */
  @SuppressWarnings("unchecked")
  boolean newerWins(
      List<?> rows,
      int current,
      int later,
      @Nullable Object currentVersion,
      @Nullable Object laterVersion) {
    int c;
    String versionField = this.versionField;
    Comparator<? super T> comparator = this.comparator;
    if (versionField != null) {
      // Read only for rows that share a key: most rows never need their version.
      laterVersion = version(rows, later, laterVersion, versionField);
      currentVersion = version(rows, current, currentVersion, versionField);
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
    } else if (comparator != null) {
      c = comparator.compare((T) rows.get(later), (T) rows.get(current));
    } else {
      throw new IllegalStateException("keep-latest has a version field or a comparator");
    }
    return c > 0 || (c == 0 && tieBreak == TieBreak.KEEP_LATER);
  }

  private @Nullable Object version(
      List<?> rows, int i, @Nullable Object readAhead, String versionField) {
    Object v = readAhead == UNREAD ? versionOrMissing(rows.get(i)) : readAhead;
    if (v == MISSING) {
      throw missingField(i, versionField, (Map<?, ?>) rows.get(i));
    }
    return v;
  }

  boolean sameContent(Object a, Object b) {
    if (fields == null) {
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
}
