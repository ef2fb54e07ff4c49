package dev.pipelinereliability.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.write.InMemoryPartitionWriter;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartitionWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's quickstart, verbatim where it can be, so the README stays true. */
class ReadmeQuickstartTest {

  private static final String TABLE = "nba_analytics.player_game_summary";

  /** The processor from the README, with compute filled in. */
  static final class PlayerGameSummaryProcessor {
    private final DistributedLock locks;
    private final PartitionWriter writer;

    PlayerGameSummaryProcessor(DistributedLock locks, PartitionWriter writer) {
      this.locks = locks;
      this.writer = writer;
    }

    String run(LocalDate gameDate) {
      Optional<LockHandle> acquired = locks.tryAcquire(LockKey.of("phase3", gameDate));
      if (acquired.isEmpty()) {
        return "skipped: another instance is processing " + gameDate;
      }
      try (LockHandle lock = acquired.get()) {
        var rows = compute(gameDate);
        writer.replacePartition(
            TABLE, new PartitionFilter("game_date", gameDate), rows, Fence.of(lock));
        return "wrote " + rows.size() + " rows";
      }
    }

    private List<Map<String, Object>> compute(LocalDate gameDate) {
      return List.of(
          Map.of("game_date", gameDate, "player", "a"),
          Map.of("game_date", gameDate, "player", "b"));
    }
  }

  @Test
  void processorSkipsWhileAnotherInstanceHoldsTheDate() {
    FakeClock clock = FakeClock.create();
    DistributedLock locks = new InMemoryDistributedLock(clock);
    InMemoryPartitionWriter writer = new InMemoryPartitionWriter();
    var processor = new PlayerGameSummaryProcessor(locks, writer);

    try (LockHandle other = locks.tryAcquire(LockKey.of("phase3", "2024-11-20")).orElseThrow()) {
      assertThat(processor.run(LocalDate.parse("2024-11-20"))).startsWith("skipped");
      assertThat(other.isValid()).isTrue();
    }
    assertThat(processor.run(LocalDate.parse("2024-11-20"))).isEqualTo("wrote 2 rows");
    assertThat(writer.storedToken(TABLE, LocalDate.parse("2024-11-20"))).contains(2L);
  }

  @Test
  void aStalledHolderNoLongerBlocksOnceItsLeaseRunsOut() {
    FakeClock clock = FakeClock.create();
    DistributedLock locks = new InMemoryDistributedLock(clock);
    var processor = new PlayerGameSummaryProcessor(locks, new InMemoryPartitionWriter());
    LockHandle stalled = locks.tryAcquire(LockKey.of("phase3", "2024-11-20")).orElseThrow();

    clock.advance(Duration.ofMinutes(11));

    assertThat(processor.run(LocalDate.parse("2024-11-20"))).isEqualTo("wrote 2 rows");
    assertThat(stalled.isValid()).isFalse();
  }
}
