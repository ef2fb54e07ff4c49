package dev.pipelinereliability.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.dedup.Deduplicator.TieBreak;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The deduplicator against a row-at-a-time model of its Javadoc, on many small random inputs: sizes
 * cross its batch boundaries; keys mix NULLs, {@code 1} and {@code 1L}, {@code 1.0}, and strings
 * with one {@code String.hashCode}; rows repeat exactly or differ; some rows are bad (null, not a
 * map, without a key field, without or with an incomparable version). Every observable part of the
 * outcome must match: the kept rows (by identity, in order), the removed count, the removed-key
 * sample, the conflict report, or the exception and its message.
 */
class DeduplicatorModelTest {

  /** A deduplicator under test beside the model of what it must do. */
  private enum Spec {
    FIRST,
    LATEST,
    LATEST_TIES_TO_LATER,
    FAIL_ON_CONFLICT,
    LATEST_BY_COMPARATOR,
    RECORDS_FIRST;

    Deduplicator<Map<String, Object>> dedup(int sampleSize) {
      Deduplicator.Builder<Map<String, Object>> builder =
          this == RECORDS_FIRST
              ? Deduplicator.forRecords(r -> r.get("a"))
              : Deduplicator.forRows(this == LATEST_BY_COMPARATOR ? List.of("a") : FIELDS);
      switch (this) {
        case LATEST -> builder.keepLatestBy("v");
        case LATEST_TIES_TO_LATER -> builder.keepLatestBy("v").tieBreak(TieBreak.KEEP_LATER);
        case FAIL_ON_CONFLICT -> builder.failOnConflict();
        case LATEST_BY_COMPARATOR ->
            builder.keepLatest(Comparator.comparing(r -> (Integer) r.get("w")));
        default -> {}
      }
      return builder.sampleSize(sampleSize).build();
    }

    /** The policy as the Javadoc states it, one row at a time. */
    Outcome model(List<Object> rows, int sampleSize) {
      boolean records = this == RECORDS_FIRST;
      List<String> fields = this == LATEST_BY_COMPARATOR ? List.of("a") : FIELDS;
      Map<DedupKey, Integer> winners = new LinkedHashMap<>();
      Map<DedupKey, Integer> firsts = new HashMap<>();
      Map<DedupKey, List<Integer>> conflicts = new LinkedHashMap<>();
      List<Object> sample = new ArrayList<>();
      List<DedupKey> sampled = new ArrayList<>();
      int removed = 0;
      for (int i = 0; i < rows.size(); i++) {
        Object raw = rows.get(i);
        if (raw == null) {
          return Outcome.error("row " + i + " is null");
        }
        if (!(raw instanceof Map)) {
          return Outcome.error("row " + i + " is not a Map: " + raw.getClass());
        }
        Map<String, Object> r = map(raw);
        if (!records) {
          for (String f : fields) {
            if (!r.containsKey(f)) {
              return Outcome.error(missing(i, f, r));
            }
          }
        }
        Function<Map<String, Object>, DedupKey> keyOf =
            row -> DedupKey.of(fields.stream().map(row::get).toArray());
        DedupKey key = records ? DedupKey.of(r.get("a")) : keyOf.apply(r);
        Integer w = winners.get(key);
        if (w == null) {
          winners.put(key, i);
          firsts.put(key, i);
          continue;
        }
        removed++;
        Map<String, Object> current = map(rows.get(w));
        if (sample.size() < sampleSize && !sampled.contains(key)) {
          sampled.add(key);
          sample.add(records ? current.get("a") : keyOf.apply(current));
        }
        int c = -1;
        switch (this) {
          case FAIL_ON_CONFLICT -> {
            List<Integer> idx = conflicts.get(key);
            if (idx != null) {
              if (idx.size() < 16) {
                idx.add(i);
              }
            } else {
              int first = Objects.requireNonNull(firsts.get(key)); // put with its winner
              if (!sameContent(map(rows.get(first)), r)) {
                conflicts.put(key, new ArrayList<>(List.of(first, i)));
              }
            }
          }
          case LATEST, LATEST_TIES_TO_LATER -> {
            if (!r.containsKey("v")) {
              return Outcome.error(missing(i, "v", r));
            }
            if (!current.containsKey("v")) {
              return Outcome.error(missing(w, "v", current));
            }
            try {
              c = KeyValues.compareVersions(r.get("v"), current.get("v"));
            } catch (IllegalArgumentException e) {
              return Outcome.error("rows " + w + " and " + i + ": field 'v': " + e.getMessage());
            }
          }
          case LATEST_BY_COMPARATOR ->
              c =
                  Integer.compare(
                      Objects.requireNonNull((Integer) r.get("w")),
                      Objects.requireNonNull((Integer) current.get("w")));
          default -> {}
        }
        if (c > 0 || (c == 0 && this == LATEST_TIES_TO_LATER)) {
          winners.put(key, i);
        }
      }
      if (!conflicts.isEmpty()) {
        List<DuplicateConflict> report = new ArrayList<>();
        for (List<Integer> idx : conflicts.values()) {
          if (report.size() < Math.max(sampleSize, 1)) {
            report.add(new DuplicateConflict(keyOf(map(rows.get(idx.get(0))), fields), idx));
          }
        }
        return new Outcome(null, 0, null, null, conflicts.size(), report);
      }
      List<Integer> kept = new ArrayList<>(winners.values());
      kept.sort(null);
      return new Outcome(kept, removed, sample, null, 0, null);
    }
  }

  private static final List<String> FIELDS = List.of("a", "b");

  /**
   * What one run produced: kept row indexes, removed count and sample, or an error, or conflicts.
   */
  private record Outcome(
      @Nullable List<Integer> kept,
      int removed,
      @Nullable List<Object> sample,
      @Nullable String error,
      int conflictingKeys,
      @Nullable List<DuplicateConflict> conflicts) {

    static Outcome error(@Nullable String message) {
      return new Outcome(null, 0, null, message, 0, null);
    }

    static Outcome of(Deduplicator<Map<String, Object>> dedup, List<Object> rows) {
      DedupResult<Map<String, Object>> result;
      try {
        result = dedup.apply(asRows(rows));
      } catch (ConflictingDuplicatesException e) {
        return new Outcome(null, 0, null, null, e.conflictingKeys(), e.conflicts());
      } catch (IllegalArgumentException | NullPointerException e) {
        return error(e.getMessage());
      }
      IdentityHashMap<Object, Integer> index = new IdentityHashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        index.put(rows.get(i), i);
      }
      return new Outcome(
          result.rows().stream().map(index::get).toList(),
          result.removedCount(),
          result.removedKeySample(),
          null,
          0,
          null);
    }
  }

  @Test
  void agreesWithTheModelOnEveryOutcomeForEveryPolicyAndSize() {
    Random random = new Random(20261123);
    Object[] keyValues = {null, 1, 1L, 2L, 1.0, "Aa", "BB", "x"};
    Object[] versions = {null, 1L, 2L, 3L};
    Map<String, Integer> seen = new HashMap<>();
    for (int trial = 0; trial < 4_000; trial++) {
      int n = random.nextInt(40);
      int spread = 1 + random.nextInt(keyValues.length);
      boolean withBadRows = random.nextInt(3) == 0;
      int sampleSize = random.nextInt(4);
      List<Object> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Map<String, Object> r = new HashMap<>();
        r.put("a", keyValues[random.nextInt(spread)]);
        r.put("b", keyValues[random.nextInt(spread)]);
        r.put("v", versions[random.nextInt(versions.length)]);
        r.put("w", random.nextInt(2));
        rows.add(r);
        if (withBadRows) {
          switch (random.nextInt(40)) {
            case 0 -> rows.set(i, null);
            case 1 -> rows.set(i, "not a map");
            case 2 -> r.remove("a");
            case 3 -> r.remove("b");
            case 4, 5 -> r.remove("v");
            case 6 -> r.put("v", "text");
            default -> {}
          }
        }
      }
      // Exact repeats, so that fail-on-conflict sees identical duplicates as well as conflicts.
      if (n > 0 && random.nextBoolean()) {
        for (int i = 0; i < n / 3; i++) {
          rows.add(random.nextInt(rows.size() + 1), copy(rows.get(random.nextInt(rows.size()))));
        }
      }
      for (Spec spec : Spec.values()) {
        if (spec == Spec.RECORDS_FIRST && rows.stream().anyMatch(r -> r instanceof String)) {
          continue; // the extractor would fail on a non-map record, which is the caller's bug
        }
        Outcome expected = spec.model(rows, sampleSize);
        Outcome actual = Outcome.of(spec.dedup(sampleSize), rows);
        assertThat(actual).as("%s, trial %d, rows %s", spec, trial, rows).isEqualTo(expected);
        assertThat(String.valueOf(actual.sample())).isEqualTo(String.valueOf(expected.sample()));
        seen.merge(
            expected.error() != null
                ? "error"
                : expected.conflicts() != null ? "conflicts" : "result " + spec,
            1,
            Integer::sum);
      }
    }
    // Every kind of outcome was reached often enough to mean something.
    assertThat(seen.get("error")).isGreaterThan(1_000);
    assertThat(seen.get("conflicts")).isGreaterThan(500);
    for (Spec spec : Spec.values()) {
      assertThat(seen.get("result " + spec)).as(spec.name()).isGreaterThan(300);
    }
  }

  @Test
  void keysWithEqualHashesButDifferentValuesStayApart() {
    // "Aa" and "BB" have one String.hashCode, so every key below has the same 32-bit hash and
    // each lookup must fall back to comparing values.
    List<String> parts = List.of("AaAa", "AaBB", "BBAa", "BBBB");
    assertThat(parts.stream().map(String::hashCode).distinct()).hasSize(1);
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      List<Object> rows = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Map<String, Object> r = new HashMap<>();
        r.put("a", parts.get(random.nextInt(4)));
        r.put("b", parts.get(random.nextInt(4)));
        r.put("v", (long) random.nextInt(5));
        r.put("w", random.nextInt(2));
        rows.add(random.nextInt(4) == 0 && i > 0 ? copy(rows.get(random.nextInt(i))) : r);
      }
      for (Spec spec : Spec.values()) {
        assertThat(Outcome.of(spec.dedup(3), rows))
            .as("%s, trial %d", spec, trial)
            .isEqualTo(spec.model(rows, 3));
      }
    }
  }

  private static boolean sameContent(Map<String, Object> a, Map<String, Object> b) {
    return a.keySet().equals(b.keySet())
        && a.keySet().stream().allMatch(f -> KeyValues.same(a.get(f), b.get(f)));
  }

  private static DedupKey keyOf(Map<String, Object> row, List<String> fields) {
    return DedupKey.of(fields.stream().map(row::get).toArray());
  }

  private static String missing(int row, String field, Map<String, Object> map) {
    return "row " + row + " has no field '" + field + "' (it has " + map.keySet() + ")";
  }

  /** A copy of a map row; anything else as it is. */
  private static Object copy(Object row) {
    return row instanceof Map ? new HashMap<>(map(row)) : row;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object row) {
    return (Map<String, Object>) row;
  }

  /** The rows as a caller with untyped data hands them over: nulls and non-maps included. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Map<String, Object>> asRows(List<Object> rows) {
    return (List) rows;
  }
}
