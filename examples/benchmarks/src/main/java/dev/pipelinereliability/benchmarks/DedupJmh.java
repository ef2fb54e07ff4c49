package dev.pipelinereliability.benchmarks;

import dev.pipelinereliability.dedup.Deduplicator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH methods behind {@link DedupSuite}: 1,000,000 BigQuery-style map rows, a 4-field key ({@code
 * game_id, player_lookup, system_id, line_value}), 10% of rows duplicating an earlier key with a
 * different {@code processed_at}, shuffled. Average time per full dedup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
public class DedupJmh {
  static final int ROWS = 1_000_000;
  static final double DUPLICATE_SHARE = 0.10;
  private static final String GAME = "game_id";
  private static final String PLAYER = "player_lookup";
  private static final String SYSTEM = "system_id";
  private static final String LINE = "line_value";
  private static final String PROCESSED = "processed_at";

  List<Map<String, Object>> rows;
  Deduplicator<Map<String, Object>> keepFirst;
  Deduplicator<Map<String, Object>> keepLatest;

  /** Builds the rows once; every method dedups the same list. */
  @Setup(Level.Trial)
  public void rows() {
    rows = generate(ROWS, DUPLICATE_SHARE, new Random(20261123L));
    keepFirst = Deduplicator.forRows(GAME, PLAYER, SYSTEM, LINE).build();
    keepLatest = Deduplicator.forRows(GAME, PLAYER, SYSTEM, LINE).keepLatestBy(PROCESSED).build();
  }

  static List<Map<String, Object>> generate(int n, double duplicateShare, Random random) {
    int distinct = (int) Math.round(n * (1 - duplicateShare));
    Instant base = Instant.parse("2026-11-23T06:00:00Z");
    List<Map<String, Object>> out = new ArrayList<>(n);
    for (int i = 0; i < distinct; i++) {
      out.add(row(i, base.plusSeconds(random.nextInt(3600)), random));
    }
    for (int i = distinct; i < n; i++) {
      out.add(row(random.nextInt(distinct), base.plusSeconds(random.nextInt(3600)), random));
    }
    Collections.shuffle(out, random);
    return out;
  }

  private static Map<String, Object> row(int keyIndex, Instant processedAt, Random random) {
    Map<String, Object> r = new HashMap<>();
    // Fresh String objects per row, as rows parsed from JSON or a result set would carry.
    r.put(GAME, new String("00224" + (keyIndex % 997)));
    r.put(PLAYER, new String("player" + ((keyIndex / 997) % 331)));
    r.put(SYSTEM, (long) ((keyIndex / (997 * 331)) % 5));
    r.put(LINE, 10.5 + (keyIndex % 7));
    r.put(PROCESSED, processedAt);
    r.put("predicted_points", random.nextDouble() * 40);
    r.put("game_date", "2026-11-23");
    return r;
  }

  private static List<Object> naiveKey(Map<String, Object> r) {
    return List.of(r.get(GAME), r.get(PLAYER), r.get(SYSTEM), r.get(LINE));
  }

  /** The library, keep first. */
  @Benchmark
  public List<Map<String, Object>> dedupKeepFirst() {
    return keepFirst.apply(rows).rows();
  }

  /** The library, keep latest by processed_at. */
  @Benchmark
  public List<Map<String, Object>> dedupKeepLatest() {
    return keepLatest.apply(rows).rows();
  }

  /** The naive baseline, keep first: toMap over List.of(key fields). */
  @Benchmark
  public List<Map<String, Object>> naiveKeepFirst() {
    return new ArrayList<>(
        rows.stream().collect(Collectors.toMap(DedupJmh::naiveKey, r -> r, (a, b) -> a)).values());
  }

  /** The naive baseline, keep latest: toMap with a merge that keeps the greater processed_at. */
  @Benchmark
  public List<Map<String, Object>> naiveKeepLatest() {
    return new ArrayList<>(
        rows.stream()
            .collect(
                Collectors.toMap(
                    DedupJmh::naiveKey,
                    r -> r,
                    (a, b) ->
                        ((Instant) Objects.requireNonNull(b.get(PROCESSED)))
                                    .compareTo((Instant) a.get(PROCESSED))
                                > 0
                            ? b
                            : a))
            .values());
  }
}
