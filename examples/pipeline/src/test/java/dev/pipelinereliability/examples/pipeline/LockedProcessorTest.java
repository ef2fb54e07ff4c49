package dev.pipelinereliability.examples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.examples.time.CompressedTime;
import dev.pipelinereliability.examples.warehouse.SimulatedWarehouse;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The template's promises, on in-memory locks and a warehouse whose jobs take a few ms. The locks
 * run on a fake clock that never moves, so no lease runs out and no wait times out on its own.
 */
class LockedProcessorTest {
  private static final LocalDate DATE = LocalDate.of(2026, 2, 3);
  private static final Instant START = Instant.parse("2026-02-04T20:00:00Z");

  private final CompressedTime time = new CompressedTime(START, 1000, ZoneOffset.UTC);
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(FakeClock.at(START));
  private final SimulatedWarehouse warehouse = new SimulatedWarehouse(time);
  private final List<CompletionMessage> published = Collections.synchronizedList(new ArrayList<>());
  private final PipelineServices services =
      new PipelineServices(
          locks,
          warehouse,
          warehouse,
          warehouse.duplicateValidator(),
          new SourceFeed(time, Duration.ofSeconds(1)),
          published::add,
          time.clock());

  /** A Phase 3 processor whose rows the test decides. */
  private final class Scores extends Phase3Processor {
    private final Function<LocalDate, List<Map<String, Object>>> rows;

    Scores(Function<LocalDate, List<Map<String, Object>>> rows) {
      super(services, "scores", "game_id", "player_lookup");
      this.rows = rows;
    }

    @Override
    public List<Map<String, Object>> compute(LocalDate date) {
      return rows.apply(date);
    }
  }

  private static Map<String, Object> row(String player, long points, String processedAt) {
    return Map.of(
        "game_id", "g1",
        "player_lookup", player,
        "points", points,
        "game_date", DATE,
        "processed_at", Instant.parse(processedAt));
  }

  @Test
  void aRunWritesDedupedRowsAndPublishesCompletionWithItsToken() {
    Scores scores =
        new Scores(
            d ->
                List.of(
                    row("a", 10, "2026-02-04T20:00:00Z"),
                    row("b", 7, "2026-02-04T20:00:00Z"),
                    row("a", 12, "2026-02-04T20:05:00Z")));

    RunResult result = scores.run(DATE);

    assertThat(result.status()).isEqualTo(RunResult.Status.WROTE);
    assertThat(result.rowsWritten()).isEqualTo(2);
    assertThat(result.duplicatesRemoved()).isEqualTo(1);
    assertThat(warehouse.rows("scores", DATE))
        .extracting(r -> r.get("points"))
        .containsExactlyInAnyOrder(12L, 7L);
    assertThat(published)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.processor()).isEqualTo("scores");
              assertThat(m.rowCount()).isEqualTo(2);
              assertThat(m.fencingToken()).isEqualTo(result.fencingToken()).isPositive();
            });
    assertThat(locks.listHeld()).isEmpty();
  }

  @Test
  void aPhase3RunSkipsWhileAnotherInstanceHoldsTheDate() {
    Scores scores = new Scores(d -> List.of(row("a", 10, "2026-02-04T20:00:00Z")));
    try (LockHandle other =
        locks.tryAcquire(LockKey.of("phase3", "scores/" + DATE)).orElseThrow()) {

      RunResult result = scores.run(DATE);

      assertThat(result.status()).isEqualTo(RunResult.Status.SKIPPED_LOCKED);
      assertThat(warehouse.rows("scores", DATE)).isEmpty();
      assertThat(published).isEmpty();
      assertThat(other.isValid()).isTrue();
    }
  }

  @Test
  void aRunThatLostItsLockBeforeTheCommitWritesNothing() {
    Scores scores =
        new Scores(
            d -> {
              // An operator force-releases the lock while the run computes (it looked stuck).
              locks.forceRelease(LockKey.of("phase3", "scores/" + d), "looked stuck");
              return List.of(row("a", 10, "2026-02-04T20:00:00Z"));
            });

    assertThatThrownBy(() -> scores.run(DATE))
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("looked stuck");
    assertThat(warehouse.rows("scores", DATE)).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void theLockIsReleasedWhenComputeFails() {
    Scores scores =
        new Scores(
            d -> {
              throw new IllegalStateException("source table missing");
            });

    assertThatThrownBy(() -> scores.run(DATE)).hasMessageContaining("source table missing");
    assertThat(locks.listHeld()).isEmpty();
  }

  @Test
  void gradingWaitsForTheLockInsteadOfSkipping() throws Exception {
    GradingProcessor grading =
        new GradingProcessor(services, "grades", "player_lookup") {
          @Override
          public List<Map<String, Object>> compute(LocalDate date) {
            return List.of(
                Map.of("player_lookup", "a", "game_date", date, "processed_at", Instant.EPOCH));
          }
        };
    LockHandle other = locks.tryAcquire(LockKey.of("grading", "grades/" + DATE)).orElseThrow();

    CompletableFuture<RunResult> waiting = CompletableFuture.supplyAsync(() -> grading.run(DATE));
    assertThatThrownBy(() -> waiting.get(100, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    other.close();

    assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(RunResult.Status.WROTE);
    assertThat(waiting.get().fencingToken()).isGreaterThan(other.fencingToken());
  }
}
