package dev.pipelinereliability.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

  private static Map<String, Object> row(@Nullable Object... kv) {
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
        .isInstanceOf(NullPointerException.class)
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
          java.util.Arrays.asList(
              r.get("a"), r.get("b"), Objects.requireNonNull((Integer) r.get("c")).longValue());
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
  void acceptsAnyListAndReturnsRowsThatLaterChangesToTheInputDoNotReach() {
    @SuppressWarnings("JdkObsolete") // a list without RandomAccess, on purpose
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

  @Test
  void theKeptRowsRejectEveryChangeEvenOneThatWouldChangeNothing() {
    List<Map<String, Object>> none = Deduplicator.forRows("k").build().apply(List.of()).rows();
    List<Map<String, Object>> one =
        Deduplicator.forRows("k").build().apply(List.of(row("k", 1L))).rows();

    for (List<Map<String, Object>> rows : List.of(none, one)) {
      assertThatThrownBy(rows::clear).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.addAll(List.of()))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.removeIf(r -> false))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.retainAll(List.copyOf(rows)))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.removeAll(List.of()))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.sort(null)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.replaceAll(r -> r))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rows.subList(0, 0).clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
    assertThatThrownBy(() -> one.set(0, row("k", 2L)))
        .isInstanceOf(UnsupportedOperationException.class);
    java.util.Iterator<Map<String, Object>> it = one.iterator();
    it.next();
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThat(one).isEqualTo(List.of(row("k", 1L))).hasSameHashCodeAs(List.of(row("k", 1L)));
  }

  @Test
  void aComputedListIsReadOncePerRow() {
    List<Map<String, Object>> stored = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      stored.add(row("k", i % 20, "v", i));
    }
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Map<String, Object>> view =
        com.google.common.collect.Lists.transform(
            stored,
            r -> {
              reads.incrementAndGet();
              return new HashMap<>(r);
            });

    DedupResult<Map<String, Object>> result =
        Deduplicator.forRows("k").keepLatestBy("v").build().apply(view);

    assertThat(reads).hasValue(50);
    assertThat(result.rows())
        .extracting(r -> r.get("v"))
        .containsExactlyElementsOf(
            java.util.stream.LongStream.range(30, 50).boxed().collect(Collectors.toList()));
  }

  @Test
  void aNullRecordKeyIsOneGroupAndAppearsInTheSample() {
    // The key is the first letter, and null for every record starting with "b".
    List<String> input = new ArrayList<>(List.of("a1", "b1", "a2", "b2"));
    DedupResult<String> result =
        Deduplicator.<String>forRecords(s -> s.startsWith("b") ? null : s.substring(0, 1))
            .build()
            .apply(input);

    assertThat(result.rows()).containsExactly("a1", "b1");
    assertThat(result.removedKeySample()).containsExactly("a", null);
  }
}
