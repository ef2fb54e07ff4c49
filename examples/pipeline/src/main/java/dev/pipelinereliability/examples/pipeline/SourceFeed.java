package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.examples.time.CompressedTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scrapers have delivered so far: raw rows per source and date, each batch stamped with
 * its arrival time. Processors read only what has arrived by their clock's now, so a processor that
 * runs before a late batch computes on partial data, as in the incident.
 *
 * <p>Thread-safe.
 */
public final class SourceFeed {
  /** The gamebook player stats scraped from the league site; the source that ran 8 hours late. */
  public static final String GAMEBOOK = "nbac_gamebook_player_stats";

  private record Batch(Instant arrivedAt, List<Map<String, Object>> rows) {}

  private final CompressedTime time;
  private final Clock clock;
  private final Duration queryTime;
  private final Map<String, List<Batch>> batches = new HashMap<>();

  /**
   * Creates an empty feed on simulated {@code time}; a read sees the data as of its start and takes
   * {@code queryTime}, as a query over the raw tables would.
   */
  public SourceFeed(CompressedTime time, Duration queryTime) {
    this.time = requireNonNull(time, "time");
    this.clock = time.clock();
    this.queryTime = requireNonNull(queryTime, "queryTime");
  }

  /** Records that {@code rows} of {@code source} for {@code date} arrived at {@code arrivedAt}. */
  public synchronized void deliver(
      String source, LocalDate date, List<Map<String, Object>> rows, Instant arrivedAt) {
    batches
        .computeIfAbsent(source + "/" + date, k -> new ArrayList<>())
        .add(new Batch(arrivedAt, List.copyOf(rows)));
  }

  /**
   * Reads the rows of {@code source} for {@code date} that had arrived when the read started; the
   * call returns after the query time.
   */
  public List<Map<String, Object>> read(String source, LocalDate date) {
    List<Map<String, Object>> snapshot;
    synchronized (this) {
      Instant now = clock.instant();
      snapshot =
          batches.getOrDefault(source + "/" + date, List.of()).stream()
              .filter(b -> !b.arrivedAt().isAfter(now))
              .flatMap(b -> b.rows().stream())
              .toList();
    }
    time.sleep(queryTime);
    return snapshot;
  }

  /** When the last batch of {@code source} for {@code date} that has arrived by now arrived. */
  public synchronized Optional<Instant> lastArrival(String source, LocalDate date) {
    Instant now = clock.instant();
    return batches.getOrDefault(source + "/" + date, List.of()).stream()
        .map(Batch::arrivedAt)
        .filter(at -> !at.isAfter(now))
        .max(Instant::compareTo);
  }
}
