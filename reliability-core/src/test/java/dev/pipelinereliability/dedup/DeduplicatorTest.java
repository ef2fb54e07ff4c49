package dev.pipelinereliability.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.dedup.Deduplicator.TieBreak;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final Deduplicator<Map<String, Object>> BY_GAME_PLAYER =
      Deduplicator.forRows("game_id", "player").build();

  @Test
  void keepFirstKeepsFirstRowPerKeyInInputOrder() {
    List<Map<String, Object>> rows =
        List.of(
            row("game_id", "g1", "player", "a", "pts", 1),
            row("game_id", "g2", "player", "a", "pts", 2),
            row("game_id", "g1", "player", "a", "pts", 3),
            row("game_id", "g1", "player", "b", "pts", 4),
            row("game_id", "g2", "player", "a", "pts", 5));

    DedupResult<Map<String, Object>> result = BY_GAME_PLAYER.apply(rows);

    assertThat(result.rows()).extracting(r -> r.get("pts")).containsExactly(1, 2, 4);
    assertThat(result.removedCount()).isEqualTo(2);
    assertThat(result.inputCount()).isEqualTo(5);
    assertThat(result.removedKeySample())
        .containsExactly(DedupKey.of("g1", "a"), DedupKey.of("g2", "a"));
  }

  @Test
  void keepLatestByFieldKeepsGreatestVersionAtItsOwnInputPosition() {
    Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    List<Map<String, Object>> rows =
        List.of(
            row("game_id", "g1", "player", "a", "processed_at", t0, "pts", 1),
            row("game_id", "g2", "player", "a", "processed_at", t0, "pts", 2),
            row("game_id", "g1", "player", "a", "processed_at", t0.plusSeconds(60), "pts", 3),
            row("game_id", "g1", "player", "a", "processed_at", t0.plusSeconds(30), "pts", 4));

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("game_id", "player").keepLatestBy("processed_at").build().apply(rows);

    assertThat(result.rows()).extracting(r -> r.get("pts")).containsExactly(2, 3);
    assertThat(result.removedCount()).isEqualTo(2);
  }

  @Test
  void keepLatestTreatsNullVersionAsOldest() {
    List<Map<String, Object>> rows =
        List.of(
            row("k", 1L, "v", 5L, "id", "x"),
            row("k", 1L, "v", null, "id", "y"),
            row("k", 2L, "v", null, "id", "z"));

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("k").keepLatestBy("v").build().apply(rows);

    assertThat(result.rows()).extracting(r -> r.get("id")).containsExactly("x", "z");
  }

  @Test
  void keepLatestTieBreakIsByInputPositionNotHashing() {
    List<Map<String, Object>> rows =
        List.of(row("k", 1L, "v", 7L, "id", "first"), row("k", 1L, "v", 7L, "id", "second"));

    assertThat(
            Deduplicator.forRows("k").keepLatestBy("v").build().apply(rows).rows().get(0).get("id"))
        .isEqualTo("first");
    assertThat(
            Deduplicator.forRows("k")
                .keepLatestBy("v")
                .tieBreak(Deduplicator.TieBreak.KEEP_LATER)
                .build()
                .apply(rows)
                .rows()
                .get(0)
                .get("id"))
        .isEqualTo("second");
  }

  @Test
  void keepLatestByComparatorOnTypedRecords() {
    record Pred(String player, int version, String payload) {}
    List<Pred> input =
        List.of(new Pred("a", 1, "old"), new Pred("b", 1, "only"), new Pred("a", 2, "new"));

    DedupResult<Pred> result =
        Deduplicator.<Pred>forRecords(Pred::player)
            .keepLatest(Comparator.comparingInt(Pred::version))
            .build()
            .apply(input);

    assertThat(result.rows()).extracting(Pred::payload).containsExactly("only", "new");
    assertThat(result.removedKeySample()).containsExactly("a");
  }

  @Test
  void nullKeyValuesGroupTogether() {
    List<Map<String, Object>> rows =
        List.of(
            row("game_id", "g1", "player", null),
            row("game_id", "g1", "player", null),
            row("game_id", null, "player", null));

    DedupResult<Map<String, Object>> result = BY_GAME_PLAYER.apply(rows);

    assertThat(result.rows()).hasSize(2);
    assertThat(result.removedKeySample()).containsExactly(DedupKey.of("g1", null));
  }

  @Test
  void integerAndLongOfSameValueAreOneKeyButDoubleIsAnother() {
    List<Map<String, Object>> rows =
        List.of(
            row("k", 1, "id", "int"),
            row("k", 1L, "id", "long"),
            row("k", (short) 1, "id", "short"),
            row("k", 1.0d, "id", "double"),
            row("k", 1.0f, "id", "float"),
            row("k", new BigDecimal("1.00"), "id", "numeric"),
            row("k", new BigDecimal("1"), "id", "numeric2"));

    DedupResult<Map<String, Object>> result = Deduplicator.forRows("k").build().apply(rows);

    // INT64 group, FLOAT64 group, NUMERIC group: three keys.
    assertThat(result.rows())
        .extracting(r -> r.get("id"))
        .containsExactly("int", "double", "numeric");
  }

  @Test
  void floatingPointZerosAndNaNsGroupAsBigQueryGroupsThem() {
    List<Map<String, Object>> rows =
        List.of(
            row("k", 0.0d),
            row("k", -0.0d),
            row("k", Double.NaN),
            row("k", Float.NaN),
            row("k", Double.longBitsToDouble(0x7ff8000000000001L)));

    assertThat(Deduplicator.forRows("k").build().apply(rows).rows()).hasSize(2);
  }

  @Test
  void missingKeyFieldNamesRowAndField() {
    List<Map<String, Object>> rows =
        List.of(row("game_id", "g1", "player", "a"), row("game_id", "g2"));

    assertThatThrownBy(() -> BY_GAME_PLAYER.apply(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("'player'");
  }

  @Test
  void missingVersionFieldNamesRowAndField() {
    List<Map<String, Object>> rows = List.of(row("k", 1L, "v", 1L), row("k", 1L));
    Deduplicator<Map<String, Object>> dedup = Deduplicator.forRows("k").keepLatestBy("v").build();

    assertThatThrownBy(() -> dedup.apply(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("'v'");
    // A row whose key is unique is never compared, so it needs no version.
    assertThat(dedup.apply(List.of(row("k", 1L, "v", 1L), row("k", 2L))).rows()).hasSize(2);
  }

  @Test
  void incomparableVersionsNameTheRows() {
    List<Map<String, Object>> rows = List.of(row("k", 1L, "v", "text"), row("k", 1L, "v", 3L));

    assertThatThrownBy(() -> Deduplicator.forRows("k").keepLatestBy("v").build().apply(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows 0 and 1");
  }

  @Test
  void failOnConflictRemovesIdenticalDuplicates() {
    List<Map<String, Object>> rows =
        List.of(row("k", 1L, "v", 10), row("k", 1L, "v", 10L), row("k", 2L, "v", 20));

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("k").failOnConflict().build().apply(rows);

    assertThat(result.rows()).hasSize(2);
    assertThat(result.removedCount()).isEqualTo(1);
  }

  @Test
  void failOnConflictReportsEveryConflictingKeyWithRowIndexes() {
    List<Map<String, Object>> rows =
        List.of(
            row("k", 1L, "v", 10),
            row("k", 2L, "v", 20),
            row("k", 1L, "v", 11),
            row("k", 3L, "v", 30),
            row("k", 2L, "v", 21),
            row("k", 1L, "v", 10));

    assertThatThrownBy(() -> Deduplicator.forRows("k").failOnConflict().build().apply(rows))
        .isInstanceOfSatisfying(
            ConflictingDuplicatesException.class,
            e -> {
              assertThat(e.conflictingKeys()).isEqualTo(2);
              assertThat(e.conflicts())
                  .containsExactly(
                      new DuplicateConflict(DedupKey.of(1L), List.of(0, 2, 5)),
                      new DuplicateConflict(DedupKey.of(2L), List.of(1, 4)));
            });
  }

  @Test
  void nullRowIsRejectedWithItsIndex() {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row("k", 1L));
    rows.add(null);

    assertThatThrownBy(() -> Deduplicator.forRows("k").build().apply(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1");
  }

  @Test
  void sampleSizeCapsRemovedKeySampleButNotCount() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long k = 0; k < 20; k++) {
      rows.add(row("k", k));
      rows.add(row("k", k));
    }

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("k").sampleSize(3).build().apply(rows);

    assertThat(result.removedCount()).isEqualTo(20);
    assertThat(result.removedKeySample())
        .containsExactly(DedupKey.of(0L), DedupKey.of(1L), DedupKey.of(2L));
  }

  @Test
  void badConfigurationIsRejectedWithTheValue() {
    assertThatThrownBy(() -> Deduplicator.forRows("a", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> Deduplicator.forRows(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Deduplicator.forRows("a", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key field 1");
    assertThatThrownBy(() -> Deduplicator.forRecords(o -> o).keepLatestBy("v"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Deduplicator.forRows("a").sampleSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void agreesWithNaiveMapOnRandomInputWithManyCollisions() {
    Random random = new Random(42);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(
          row(
              "a",
              (long) random.nextInt(30),
              "b",
              random.nextBoolean() ? null : "s" + random.nextInt(20),
              "c",
              random.nextInt(5),
              "seq",
              i));
    }

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("a", "b", "c").build().apply(rows);

    Map<List<Object>, Object> naiveFirst = new java.util.LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      List<Object> key =
          java.util.Arrays.asList(r.get("a"), r.get("b"), ((Integer) r.get("c")).longValue());
      naiveFirst.putIfAbsent(key, r.get("seq"));
    }
    assertThat(result.rows().stream().map(r -> r.get("seq")).collect(Collectors.toList()))
        .containsExactlyElementsOf(naiveFirst.values());
    assertThat(result.removedCount()).isEqualTo(rows.size() - naiveFirst.size());
  }

  @Test
  void missingKeyFieldNamesTheFirstBadRowEvenWhenALaterRowLacksAnEarlierField() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(row("game_id", "g" + i, "player", "p"));
    }
    rows.get(3).remove("player");
    rows.get(5).remove("game_id");

    assertThatThrownBy(() -> BY_GAME_PLAYER.apply(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 3")
        .hasMessageContaining("'player'");
  }

  @Test
  void keysWithEqualHashesButDifferentValuesStayApart() {
    // "Aa" and "BB" have one String.hashCode, so every key below has the same 32-bit hash and
    // each lookup must fall back to comparing values.
    List<String> parts = List.of("AaAa", "AaBB", "BBAa", "BBBB");
    assertThat(parts.stream().map(String::hashCode).distinct()).hasSize(1);
    List<Map<String, Object>> rows = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      rows.add(
          row(
              "a",
              parts.get(random.nextInt(4)),
              "b",
              parts.get(random.nextInt(4)),
              "v",
              (long) random.nextInt(5),
              "seq",
              i));
    }

    for (Spec spec : List.of(Spec.FIRST, Spec.LATEST, Spec.LATEST_TIES_TO_LATER)) {
      assertThat(seqs(spec.dedup().apply(rows).rows()))
          .as(spec.name())
          .isEqualTo(seqs(spec.model(rows).kept()));
    }
    assertThat(Spec.FIRST.dedup().apply(rows).rows()).hasSize(16);
  }

  /**
   * Many small random inputs against a row-at-a-time model: sizes cross the deduplicator's batch
   * boundaries, keys mix NULLs, {@code 1} and {@code 1L}, equal-hash strings and duplicates inside
   * one batch, versions mix NULLs and ties.
   */
  @Test
  void agreesWithARowAtATimeModelForEveryPolicyAndSize() {
    Random random = new Random(20261123);
    Object[] keyValues = {null, 1, 1L, 2L, 1.0, "Aa", "BB", "x"};
    Object[] versions = {null, 1L, 2L, 3L};
    int checked = 0;
    int conflicts = 0;
    for (int trial = 0; trial < 3_000; trial++) {
      int n = random.nextInt(40);
      int spread = 1 + random.nextInt(keyValues.length);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rows.add(
            row(
                "a", keyValues[random.nextInt(spread)],
                "b", keyValues[random.nextInt(spread)],
                "v", versions[random.nextInt(versions.length)],
                "w", random.nextInt(3),
                "seq", i));
      }
      for (Spec spec : Spec.values()) {
        Model model = spec.model(rows);
        if (model.conflicts()) {
          assertThatThrownBy(() -> spec.dedup().apply(rows))
              .isInstanceOf(ConflictingDuplicatesException.class);
          conflicts++;
          continue;
        }
        DedupResult<Map<String, Object>> result = spec.dedup().apply(rows);
        assertThat(seqs(result.rows()))
            .as("%s, trial %d, rows %s", spec, trial, rows)
            .isEqualTo(seqs(model.kept()));
        assertThat(result.removedCount()).isEqualTo(n - model.kept().size());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10_000);
    assertThat(conflicts).isGreaterThan(100);
  }

  @Test
  void acceptsAnyListAndReturnsRowsThatLaterChangesToTheInputDoNotReach() {
    List<Map<String, Object>> rows =
        new java.util.LinkedList<>(List.of(row("k", 1L), row("k", 2L), row("k", 1L)));

    DedupResult<Map<String, Object>> result = Deduplicator.forRows("k").build().apply(rows);
    rows.clear();

    assertThat(result.rows()).extracting(r -> r.get("k")).containsExactly(1L, 2L);
    assertThatThrownBy(() -> result.rows().add(row("k", 3L)))
        .isInstanceOf(UnsupportedOperationException.class);
    List<Map<String, Object>> arrayRows = new ArrayList<>(List.of(row("k", 1L), row("k", 1L)));
    DedupResult<Map<String, Object>> fromArray = Deduplicator.forRows("k").build().apply(arrayRows);
    arrayRows.set(0, row("k", 9L));
    assertThat(fromArray.rows()).extracting(r -> r.get("k")).containsExactly(1L);
  }

  private static List<Object> seqs(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> r.get("seq")).collect(Collectors.toList());
  }

  /** A deduplicator under test beside the model of what it must do. */
  private enum Spec {
    FIRST,
    LATEST,
    LATEST_TIES_TO_LATER,
    FAIL_ON_CONFLICT,
    LATEST_BY_COMPARATOR;

    Deduplicator<Map<String, Object>> dedup() {
      switch (this) {
        case FIRST:
          return Deduplicator.forRows("a", "b").build();
        case LATEST:
          return Deduplicator.forRows("a", "b").keepLatestBy("v").build();
        case LATEST_TIES_TO_LATER:
          return Deduplicator.forRows("a", "b")
              .keepLatestBy("v")
              .tieBreak(TieBreak.KEEP_LATER)
              .build();
        case FAIL_ON_CONFLICT:
          return Deduplicator.forRows("a", "b").failOnConflict().build();
        default:
          return Deduplicator.forRows("a")
              .keepLatest(Comparator.comparing(r -> (Integer) r.get("w")))
              .build();
      }
    }

    /**
     * The policy as the Javadoc states it, one row at a time over a {@code LinkedHashMap} of {@link
     * DedupKey}.
     */
    Model model(List<Map<String, Object>> rows) {
      List<String> fields = this == LATEST_BY_COMPARATOR ? List.of("a") : List.of("a", "b");
      Map<DedupKey, Integer> winners = new java.util.LinkedHashMap<>();
      boolean conflicts = false;
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        DedupKey key = DedupKey.of(fields.stream().map(r::get).toArray());
        Integer w = winners.get(key);
        if (w == null) {
          winners.put(key, i);
          continue;
        }
        Map<String, Object> current = rows.get(w);
        int c;
        switch (this) {
          case FAIL_ON_CONFLICT:
            conflicts |=
                !(current.keySet().equals(r.keySet())
                    && r.keySet().stream().allMatch(f -> KeyValues.same(current.get(f), r.get(f))));
            continue;
          case LATEST:
          case LATEST_TIES_TO_LATER:
            c = KeyValues.compareVersions(r.get("v"), current.get("v"));
            break;
          case LATEST_BY_COMPARATOR:
            c = Integer.compare((Integer) r.get("w"), (Integer) current.get("w"));
            break;
          default:
            c = -1;
        }
        if (c > 0 || (c == 0 && this == LATEST_TIES_TO_LATER)) {
          winners.put(key, i);
        }
      }
      List<Integer> keptIndexes = new ArrayList<>(winners.values());
      keptIndexes.sort(null);
      return new Model(keptIndexes.stream().map(rows::get).collect(Collectors.toList()), conflicts);
    }
  }

  private record Model(List<Map<String, Object>> kept, boolean conflicts) {}
}
