package dev.pipelinereliability.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's quickstart, verbatim where it can be, so the README stays true. */
class ReadmeQuickstartTest {

  /** The processor from the README, with compute and write filled in. */
  static final class PlayerGameSummaryProcessor {
    private final DistributedLock locks;
    final List<Long> writtenWithTokens = new ArrayList<>();

    PlayerGameSummaryProcessor(DistributedLock locks) {
      this.locks = locks;
    }

    String run(LocalDate gameDate) {
      Optional<LockHandle> acquired = locks.tryAcquire(LockKey.of("phase3", gameDate));
      if (acquired.isEmpty()) {
        return "skipped: another instance is processing " + gameDate;
      }
      try (LockHandle lock = acquired.get()) {
        var rows = compute(gameDate);
        lock.checkValid();
        write(rows, lock.fencingToken());
        return "wrote " + rows.size() + " rows";
      }
    }

    private List<String> compute(LocalDate gameDate) {
      return List.of(gameDate + "/a", gameDate + "/b");
    }

    private void write(List<String> rows, long token) {
      writtenWithTokens.add(token);
    }
  }

  @Test
  void processorSkipsWhileAnotherInstanceHoldsTheDate() {
    FakeClock clock = FakeClock.create();
    DistributedLock locks = new InMemoryDistributedLock(clock);
    var processor = new PlayerGameSummaryProcessor(locks);

    try (LockHandle other = locks.tryAcquire(LockKey.of("phase3", "2024-11-20")).orElseThrow()) {
      assertThat(processor.run(LocalDate.parse("2024-11-20"))).startsWith("skipped");
      assertThat(other.isValid()).isTrue();
    }
    assertThat(processor.run(LocalDate.parse("2024-11-20"))).isEqualTo("wrote 2 rows");
    assertThat(processor.writtenWithTokens).containsExactly(2L);
  }

  @Test
  void aStalledHolderNoLongerBlocksOnceItsLeaseRunsOut() {
    FakeClock clock = FakeClock.create();
    DistributedLock locks = new InMemoryDistributedLock(clock);
    var processor = new PlayerGameSummaryProcessor(locks);
    LockHandle stalled = locks.tryAcquire(LockKey.of("phase3", "2024-11-20")).orElseThrow();

    clock.advance(Duration.ofMinutes(11));

    assertThat(processor.run(LocalDate.parse("2024-11-20"))).isEqualTo("wrote 2 rows");
    assertThat(stalled.isValid()).isFalse();
  }
}
