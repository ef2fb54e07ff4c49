package dev.pipelinereliability.testkit.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryPartitionWriterTest extends PartitionWriterContract {
  private final InMemoryPartitionWriter writer = new InMemoryPartitionWriter();

  @Override
  protected PartitionWriter writer() {
    return writer;
  }

  @Override
  protected String createTable(String name) {
    return "ds." + name;
  }

  @Override
  protected List<String> playersIn(String table, LocalDate day) {
    return writer.rows(table, new PartitionFilter("game_date", day)).stream()
        .map(r -> (String) r.get("player"))
        .toList();
  }

  @Test
  void aHolderThatStallsAfterItsCheckIsRefusedOnceTheNextHolderCommitted() {
    FakeClock clock = FakeClock.create();
    InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
    LockOptions options = LockOptions.builder().leaseDuration(Duration.ofSeconds(3)).build();
    LockKey key = LockKey.of("grading", DAY);
    PartitionFilter day = new PartitionFilter("game_date", DAY);
    LockHandle a = locks.acquire(key, options);
    writer.duringNextCommit(
        () -> {
          clock.advance(Duration.ofSeconds(4));
          try (LockHandle b = locks.acquire(key, options)) {
            writer.replacePartition("ds.grading", day, rows(DAY, "b", 2), Fence.of(b));
          }
        });

    assertThatThrownBy(
            () -> writer.replacePartition("ds.grading", day, rows(DAY, "a", 2), Fence.of(a)))
        .isInstanceOfSatisfying(
            StaleFenceException.class,
            e -> assertThat(e.token() + " < " + e.storedToken()).isEqualTo("1 < 2"));
    assertThat(playersIn("ds.grading", DAY)).containsExactlyInAnyOrder("b0", "b1");
    assertThat(writer.storedToken("ds.grading", DAY)).contains(2L);
  }

  @Test
  void rowsAreCopiedInAndOut() {
    List<Map<String, Object>> input = rows(DAY, "a", 1);
    PartitionFilter day = new PartitionFilter("game_date", DAY);
    writer.replacePartition("ds.t", day, input, Fence.of("k", 1));

    input.get(0).put("player", "changed after the write");
    writer.rows("ds.t").get(0).put("player", "changed in a copy");

    assertThat(playersIn("ds.t", DAY)).containsExactly("a0");
  }
}
