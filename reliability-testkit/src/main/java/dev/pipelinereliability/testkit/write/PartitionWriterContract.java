package dev.pipelinereliability.testkit.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataException;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.StaleFenceException;
import dev.pipelinereliability.write.WriteResult;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PartitionWriter} promises: atomic replace, the fence, the partial-data
 * guard. A backend's test extends this class and supplies {@link #writer()}, {@link
 * #createTable(String)} and {@link #playersIn(String, LocalDate)}; the in-memory writer and the
 * BigQuery writer run the same scenarios.
 *
 * <p>Every table the scenarios create has this schema (a backend creates it with these types, and
 * partitioned by {@code game_date} where it can):
 *
 * <ul>
 *   <li>{@code game_date DATE} — rows carry a {@link LocalDate}; the partition column;
 *   <li>{@code player STRING} — the key of upserts;
 *   <li>{@code points INT64} — rows carry a {@link Long}; the version column of upserts.
 * </ul>
 *
 * <p>The writer under test must use the default {@link PartialDataGuard} (refuse no rows, or fewer
 * than half of the current rows).
 */
public abstract class PartitionWriterContract {

  /** The partition most scenarios write. */
  protected static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  /** A neighbouring partition with its own fence. */
  protected static final LocalDate OTHER_DAY = DAY.plusDays(1);

  /**
   * The writer under test, with the default partial-data guard.
   *
   * @return the writer under test, with the default partial-data guard
   */
  protected abstract PartitionWriter writer();

  /**
   * Creates an empty table with the schema above.
   *
   * @param name a name unique within the test run, usable as a table name
   * @return the table id to pass to the writer
   */
  protected abstract String createTable(String name);

  /**
   * The {@code player} values of the rows of one partition, in any order.
   *
   * @param table the table id
   * @param day the partition
   * @return the players
   */
  protected abstract List<String> playersIn(String table, LocalDate day);

  private String table() {
    return createTable(
        "contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /**
   * Rows for {@code day} with players {@code prefix0..prefix(n-1)} and points 0..n-1.
   *
   * @param day the day
   * @param prefix the prefix
   * @param n the n
   * @return rows for {@code day} with players {@code prefix0..prefix(n-1)} and points 0..n-1
   */
  protected static List<Map<String, Object>> rows(LocalDate day, String prefix, int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> r = new HashMap<>();
      r.put("game_date", day);
      r.put("player", prefix + i);
      r.put("points", (long) i);
      rows.add(r);
    }
    return rows;
  }

  private static PartitionFilter partition(LocalDate day) {
    return new PartitionFilter("game_date", day);
  }

  @Test
  void replaceLeavesExactlyTheNewRowsAndReportsWhatItChanged() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "old", 3), Fence.of("k", 1));

    WriteResult result =
        writer().replacePartition(t, partition(DAY), rows(DAY, "new", 2), Fence.of("k", 1));

    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("new0", "new1");
    assertThat(result.rowsInserted()).isEqualTo(2);
    assertThat(result.rowsDeleted()).isEqualTo(3);
  }

  @Test
  void replaceLeavesOtherPartitionsAlone() {
    String t = table();
    writer().replacePartition(t, partition(OTHER_DAY), rows(OTHER_DAY, "o", 2), Fence.of("o", 1));

    writer().replacePartition(t, partition(DAY), rows(DAY, "d", 1), Fence.of("d", 1));

    assertThat(playersIn(t, OTHER_DAY)).containsExactlyInAnyOrder("o0", "o1");
  }

  @Test
  void aLowerTokenIsRefusedNamingBothTokensAndChangesNothing() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "b", 2), Fence.of("k", 2));

    assertThatThrownBy(
            () -> writer().replacePartition(t, partition(DAY), rows(DAY, "a", 2), Fence.of("k", 1)))
        .isInstanceOfSatisfying(
            StaleFenceException.class,
            e -> {
              assertThat(e.table()).isEqualTo(t);
              assertThat(e.partition()).contains("game_date").contains(DAY.toString());
              assertThat(e.token()).isEqualTo(1);
              assertThat(e.storedToken()).isEqualTo(2);
            });
    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("b0", "b1");
  }

  @Test
  void theSameTokenMayCommitAgainAndAHigherOneAfterIt() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "a", 2), Fence.of("k", 3));
    writer().replacePartition(t, partition(DAY), rows(DAY, "b", 2), Fence.of("k", 3));
    writer().replacePartition(t, partition(DAY), rows(DAY, "c", 2), Fence.of("k", 4));

    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("c0", "c1");
  }

  @Test
  void eachPartitionHasItsOwnFence() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "d", 1), Fence.of("day", 9));

    writer()
        .replacePartition(t, partition(OTHER_DAY), rows(OTHER_DAY, "o", 1), Fence.of("other", 1));

    assertThat(playersIn(t, OTHER_DAY)).containsExactly("o0");
  }

  @Test
  void aLockAlreadyLostSendsNothing() {
    String t = table();
    FakeClock clock = FakeClock.create();
    InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
    LockHandle lock =
        locks.acquire(
            LockKey.of("contract", DAY),
            LockOptions.builder().leaseDuration(Duration.ofSeconds(3)).build());
    clock.advance(Duration.ofSeconds(4));

    assertThatThrownBy(
            () -> writer().replacePartition(t, partition(DAY), rows(DAY, "a", 1), Fence.of(lock)))
        .isInstanceOf(LockLostException.class);
    assertThat(playersIn(t, DAY)).isEmpty();
  }

  @Test
  void anUnfencedWriteNeitherChecksNorAdvancesTheFence() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "f", 2), Fence.of("k", 5));
    writer().replacePartition(t, partition(DAY), rows(DAY, "u", 2), Fence.unfenced());

    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("u0", "u1");
    assertThatThrownBy(
            () -> writer().replacePartition(t, partition(DAY), rows(DAY, "s", 2), Fence.of("k", 4)))
        .isInstanceOf(StaleFenceException.class);
  }

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void aMissingFenceIsRejected() {
    String t = table();
    assertThatThrownBy(() -> writer().replacePartition(t, partition(DAY), rows(DAY, "a", 1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fence")
        .hasMessageContaining("Fence.unfenced()");
  }

  @Test
  void aPartitionValueTheWarehouseCannotBindIsRejectedBeforeAnythingChanges() {
    // BigQuery binds a partition value as a typed parameter; a double has no partition type there.
    String t = table();
    List<Map<String, Object>> rows = rows(DAY, "a", 1);
    rows.get(0).put("game_date", 1.5d);

    assertThatThrownBy(
            () ->
                writer()
                    .replacePartition(
                        t, new PartitionFilter("game_date", 1.5d), rows, Fence.of("k", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
    assertThat(playersIn(t, DAY)).isEmpty();
  }

  @Test
  void aRowOutsideThePartitionIsRejectedAndNothingChanges() {
    String t = table();
    List<Map<String, Object>> rows = rows(DAY, "a", 2);
    rows.get(1).put("game_date", OTHER_DAY);

    assertThatThrownBy(() -> writer().replacePartition(t, partition(DAY), rows, Fence.of("k", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1");
    assertThat(playersIn(t, DAY)).isEmpty();
  }

  @Test
  void replacingWithNoRowsIsRefusedUnlessAllowedForThatCall() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "a", 2), Fence.of("k", 1));

    assertThatThrownBy(
            () -> writer().replacePartition(t, partition(DAY), List.of(), Fence.of("k", 1)))
        .isInstanceOfSatisfying(
            PartialDataException.class,
            e -> {
              assertThat(e.table()).isEqualTo(t);
              assertThat(e.currentRows()).isEqualTo(2);
              assertThat(e.newRows()).isZero();
            });
    assertThat(playersIn(t, DAY)).hasSize(2);

    writer()
        .replacePartition(t, partition(DAY), List.of(), Fence.of("k", 1), PartialDataGuard.off());
    assertThat(playersIn(t, DAY)).isEmpty();
  }

  @Test
  void replacingWithFewerThanHalfTheRowsIsRefusedAndHalfIsAccepted() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "a", 4), Fence.of("k", 1));

    assertThatThrownBy(
            () -> writer().replacePartition(t, partition(DAY), rows(DAY, "p", 1), Fence.of("k", 1)))
        .isInstanceOf(PartialDataException.class);
    assertThat(playersIn(t, DAY)).hasSize(4);

    writer().replacePartition(t, partition(DAY), rows(DAY, "h", 2), Fence.of("k", 1));
    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("h0", "h1");
  }

  @Test
  void upsertUpdatesByKeyInsertsTheRestAndIsFenced() {
    String t = table();
    writer().replacePartition(t, partition(DAY), rows(DAY, "p", 2), Fence.of("k", 1));
    List<Map<String, Object>> changes = rows(DAY, "p", 3); // p0, p1 exist; p2 is new

    WriteResult result =
        writer()
            .upsert(
                t,
                List.of("player"),
                Optional.of("points"),
                Optional.of(partition(DAY)),
                changes,
                Fence.of("k", 2));

    assertThat(result.rowsInserted()).isEqualTo(1);
    assertThat(result.rowsUpdated()).isEqualTo(2);
    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("p0", "p1", "p2");
    assertThatThrownBy(
            () ->
                writer()
                    .upsert(
                        t,
                        List.of("player"),
                        Optional.empty(),
                        Optional.of(partition(DAY)),
                        rows(DAY, "q", 1),
                        Fence.of("k", 1)))
        .isInstanceOf(StaleFenceException.class);
    assertThat(playersIn(t, DAY)).containsExactlyInAnyOrder("p0", "p1", "p2");
  }
}
