package dev.pipelinereliability.dedup;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How key values compare, the way BigQuery's {@code GROUP BY} groups a column of the type each Java
 * value is written as. Used by {@link Deduplicator}, {@link DedupKey} and the in-memory duplicate
 * validator so that dedup before a write and validation after it agree.
 *
 * <p>The rule, per value:
 *
 * <ul>
 *   <li>{@code null} equals {@code null}: NULLs group together, as in {@code GROUP BY}.
 *   <li>{@link Byte}, {@link Short}, {@link Integer}, {@link Long} are INT64 and compare by value:
 *       {@code 1}, {@code 1L} and {@code (short) 1} are one key. A {@link BigInteger} that fits in
 *       64 bits is INT64 too.
 *   <li>{@link Float} and {@link Double} are FLOAT64 and compare by value: {@code 1.0f} equals
 *       {@code 1.0d}; {@code 0.0} equals {@code -0.0}; every NaN equals every NaN (BigQuery groups
 *       NaNs together).
 *   <li>{@link BigDecimal} (and a {@link BigInteger} beyond 64 bits) is NUMERIC and compares by
 *       value, ignoring scale: {@code 1.0} equals {@code 1.00}.
 *   <li>Values of different numeric classes are never equal: {@code 1} (INT64) and {@code 1.0}
 *       (FLOAT64) are two keys. A BigQuery column has one type, so the two can only meet in Java
 *       rows built from mixed sources, and merging them silently would hide that mix; write key
 *       fields with one Java type per column.
 *   <li>{@code byte[]} (BYTES) compares by content.
 *   <li>A {@link List} (for keys built by a record's key extractor) compares element by element
 *       with these rules.
 *   <li>Anything else ({@link String}, {@link Boolean}, {@code LocalDate}, {@code Instant}, ...)
 *       compares with {@code equals}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyValues {
  private KeyValues() {}

  private static final int NULL_HASH = 0x6b43a9b5;
  private static final int NAN_HASH = 0x7ff80000;

  /**
   * Returns whether two key values fall into one group under the rule above.
   *
   * @param a a key value, may be null
   * @param b a key value, may be null
   * @return true when BigQuery would group the two values together
   */
  public static boolean same(@Nullable Object a, @Nullable Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof String) {
      return b instanceof String && a.equals(b);
    }
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (ka != kb) {
      return false;
    }
    switch (ka) {
      case INT64 -> {
        return asLong(a) == asLong(b);
      }
      case FLOAT64 -> {
        double da = ((Number) a).doubleValue();
        double db = ((Number) b).doubleValue();
        // == makes 0.0 equal -0.0; NaN needs its own test because NaN != NaN.
        return da == db || (Double.isNaN(da) && Double.isNaN(db));
      }
      case NUMERIC -> {
        return asBigDecimal(a).compareTo(asBigDecimal(b)) == 0;
      }
      case BYTES -> {
        return Arrays.equals((byte[]) a, (byte[]) b);
      }
      case LIST -> {
        List<?> la = (List<?>) a;
        List<?> lb = (List<?>) b;
        if (la.size() != lb.size()) {
          return false;
        }
        for (int i = 0; i < la.size(); i++) {
          if (!same(la.get(i), lb.get(i))) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return a.equals(b);
      }
    }
  }

  /**
   * Returns a hash consistent with {@link #same}: values that are the same have equal hashes.
   *
   * @param v a key value, may be null
   * @return the hash
   */
  public static int hash(@Nullable Object v) {
    if (v == null) {
      return NULL_HASH;
    }
    if (v instanceof String) {
      return v.hashCode();
    }
    switch (kind(v)) {
      case INT64 -> {
        return Long.hashCode(asLong(v));
      }
      case FLOAT64 -> {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
          return NAN_HASH;
        }
        // 0.0 and -0.0 must hash alike.
        return d == 0.0 ? 0 : Double.hashCode(d);
      }
      case NUMERIC -> {
        BigDecimal bd = asBigDecimal(v);
        return bd.signum() == 0 ? 0 : bd.stripTrailingZeros().hashCode();
      }
      case BYTES -> {
        return Arrays.hashCode((byte[]) v);
      }
      case LIST -> {
        int h = HASH_START;
        for (Object e : (List<?>) v) {
          h = combine(h, hash(e));
        }
        return finish(h);
      }
      default -> {
        return v.hashCode();
      }
    }
  }

  /**
   * Orders two version values for keep-latest: NULL is older than any value (as {@code ORDER BY v
   * DESC} puts NULLs last in BigQuery); integers compare as integers, other numbers numerically;
   * other values by their natural order.
   *
   * @param a a version value, may be null
   * @param b a version value, may be null
   * @return negative, zero or positive as {@code a} is older than, as old as, or newer than {@code
   *     b}
   * @throws IllegalArgumentException if the two values cannot be compared (different types, or not
   *     {@link Comparable}); the message names both types
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compareVersions(@Nullable Object a, @Nullable Object b) {
    if (a == b) {
      return 0;
    }
    if (a == null) {
      return -1;
    }
    if (b == null) {
      return 1;
    }
    if (a instanceof Number na && b instanceof Number nb) {
      Kind ka = kind(a);
      Kind kb = kind(b);
      if (ka == Kind.INT64 && kb == Kind.INT64) {
        return Long.compare(asLong(a), asLong(b));
      }
      if (ka == Kind.FLOAT64 || kb == Kind.FLOAT64) {
        return Double.compare(na.doubleValue(), nb.doubleValue());
      }
      if (ka != Kind.OTHER && kb != Kind.OTHER) {
        return asBigDecimal(a).compareTo(asBigDecimal(b));
      }
    }
    if (a instanceof Comparable ca && a.getClass().isInstance(b)) {
      return ca.compareTo(b);
    }
    if (b instanceof Comparable cb && b.getClass().isInstance(a)) {
      return -cb.compareTo(a);
    }
    throw new IllegalArgumentException(
        "cannot order version values of types "
            + a.getClass().getName()
            + " and "
            + b.getClass().getName());
  }

  static final int HASH_START = 0x2f1b3c4d;

  /**
   * Folds one value hash into a running key hash (a MurmurHash3 round). A plain {@code 31 * h + v}
   * makes keys such as ("g1", "p31") and ("g2", "p0") collide whenever the field hashes are close
   * integers, which real keys (numbered ids, similar strings) are.
   */
  static int combine(int h, int valueHash) {
    int k = valueHash * 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15) * 0x1b873593;
    h ^= k;
    return Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
  }

  /** Final avalanche, so that the low bits used to index a table depend on every input bit. */
  static int finish(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  private enum Kind {
    INT64,
    FLOAT64,
    NUMERIC,
    BYTES,
    LIST,
    OTHER
  }

  private static Kind kind(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return Kind.INT64;
    }
    if (v instanceof Double || v instanceof Float) {
      return Kind.FLOAT64;
    }
    if (v instanceof BigDecimal) {
      return Kind.NUMERIC;
    }
    if (v instanceof BigInteger bigInteger) {
      return bigInteger.bitLength() < 64 ? Kind.INT64 : Kind.NUMERIC;
    }
    if (v instanceof byte[]) {
      return Kind.BYTES;
    }
    if (v instanceof List) {
      return Kind.LIST;
    }
    return Kind.OTHER;
  }

  private static long asLong(Object v) {
    return ((Number) v).longValue();
  }

  private static BigDecimal asBigDecimal(Object v) {
    if (v instanceof BigDecimal bigDecimal) {
      return bigDecimal;
    }
    if (v instanceof BigInteger bigInteger) {
      return new BigDecimal(bigInteger);
    }
    if (v instanceof Double || v instanceof Float) {
      return BigDecimal.valueOf(((Number) v).doubleValue());
    }
    return BigDecimal.valueOf(((Number) v).longValue());
  }
}
