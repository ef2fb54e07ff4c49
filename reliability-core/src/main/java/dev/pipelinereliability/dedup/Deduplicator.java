package dev.pipelinereliability.dedup;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.pipelinereliability.telemetry.DedupMetrics;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
 * <p>Cost: one pass over the rows; memory beyond the input is a table of 16 to 32 bytes per row, a
 * flag per row and the kept rows (typed records also hold their extracted keys during the call). An
 * {@code ArrayList}, {@code Arrays.asList}, {@code List.of} or Guava {@code ImmutableList} input is
 * read in place; any other list is copied first. Measured speed: the module README.
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

  private final DedupEngine<T> engine;
  private final DedupMetrics metrics;

  private Deduplicator(Builder<T> b) {
    this.engine =
        new DedupEngine<>(
            b.keyFields,
            b.keyExtractor,
            b.policy,
            b.versionField,
            b.comparator,
            b.tieBreak,
            b.sampleSize);
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
   * @throws IllegalArgumentException if a field name is blank or repeated, or none is given
   * @throws NullPointerException if the list or a field name is null
   */
  public static Builder<Map<String, Object>> forRows(List<String> keyFields) {
    requireNonNull(keyFields, "keyFields");
    if (keyFields.isEmpty()) {
      throw new IllegalArgumentException("at least one key field is needed, got " + keyFields);
    }
    for (int i = 0; i < keyFields.size(); i++) {
      String f = keyFields.get(i);
      if (f == null) {
        throw new NullPointerException("key field " + i + " is null");
      }
      if (f.isBlank()) {
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
   * @throws NullPointerException if {@code keyExtractor} is null
   */
  public static <T> Builder<T> forRecords(Function<? super T, ?> keyExtractor) {
    requireNonNull(keyExtractor, "keyExtractor");
    return new Builder<>(null, keyExtractor);
  }

  /**
   * Removes duplicates from {@code input}.
   *
   * @param input the rows; not modified, and not to be changed by another thread during the call
   * @return the kept rows in input order (an unmodifiable list that later changes to {@code input}
   *     do not reach), the removed count and a sample of removed keys
   * @throws NullPointerException if a row is null (the message names its index)
   * @throws IllegalArgumentException if a map row lacks a key field, or a row that shares its key
   *     lacks the version field (the message names the row index and the field), or two versions
   *     cannot be compared
   * @throws ConflictingDuplicatesException under {@link Builder#failOnConflict()} when rows with
   *     one key differ
   */
  public DedupResult<T> apply(List<? extends T> input) {
    Objects.requireNonNull(input, "input");
    List<? extends T> rows = readsInPlace(input) ? input : Arrays.asList(input.toArray(noRows()));
    DedupResult<T> result = engine.apply(rows);
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
   * Configures a {@link Deduplicator}. Not thread-safe; build once and share the result.
   *
   * @param <T> the row type
   */
  public static final class Builder<T> {
    // Exactly one of keyFields (map rows) and keyExtractor (typed records) is set.
    private final @Nullable List<String> keyFields;
    private final @Nullable Function<? super T, ?> keyExtractor;
    private DedupEngine.Policy policy = DedupEngine.Policy.KEEP_FIRST;
    // Set only by keepLatestBy and keepLatest respectively.
    private @Nullable String versionField;
    private @Nullable Comparator<? super T> comparator;
    private TieBreak tieBreak = TieBreak.KEEP_EARLIER;
    private int sampleSize = 10;
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(
        @Nullable List<String> keyFields, @Nullable Function<? super T, ?> keyExtractor) {
      this.keyFields = keyFields;
      this.keyExtractor = keyExtractor;
    }

    /**
     * Keeps the first row of each key in input order (the default).
     *
     * @return this builder
     */
    public Builder<T> keepFirst() {
      policy = DedupEngine.Policy.KEEP_FIRST;
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
      requireNonNull(field, "field");
      if (field.isBlank()) {
        throw new IllegalArgumentException("version field is blank: '" + field + "'");
      }
      if (keyFields == null) {
        throw new IllegalStateException(
            "keepLatestBy(\"" + field + "\") needs map rows; use keepLatest(Comparator)");
      }
      policy = DedupEngine.Policy.KEEP_LATEST;
      versionField = field;
      comparator = null;
      return this;
    }

    /**
     * Keeps, for each key, the greatest row by {@code comparator}.
     *
     * @param comparator orders rows from older to newer
     * @return this builder
     * @throws NullPointerException if {@code comparator} is null
     */
    public Builder<T> keepLatest(Comparator<? super T> comparator) {
      requireNonNull(comparator, "comparator");
      policy = DedupEngine.Policy.KEEP_LATEST;
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
      policy = DedupEngine.Policy.FAIL_ON_CONFLICT;
      versionField = null;
      comparator = null;
      return this;
    }

    /**
     * Sets which row wins when keep-latest finds equal versions.
     *
     * @param tieBreak the rule
     * @return this builder
     * @throws NullPointerException if {@code tieBreak} is null
     */
    public Builder<T> tieBreak(TieBreak tieBreak) {
      requireNonNull(tieBreak, "tieBreak");
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
