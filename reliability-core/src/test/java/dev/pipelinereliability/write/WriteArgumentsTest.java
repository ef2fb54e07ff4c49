package dev.pipelinereliability.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.validation.PartitionFilter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The argument checks and the guard and fence decisions every partition writer shares. */
class WriteArgumentsTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final PartitionFilter PARTITION = new PartitionFilter("game_date", DAY);

  @Test
  void aBlankTableIsNamedAsTheDuplicateCheckNamesIt() {
    assertThatThrownBy(() -> WriteArguments.requireTable(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table is blank: ' '");
    assertThat(WriteArguments.requireTable("ds.t")).isEqualTo("ds.t");
  }

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void aMissingFenceOrGuardNamesTheExplicitChoice() {
    assertThatThrownBy(() -> WriteArguments.requireFence(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fence")
        .hasMessageContaining("Fence.unfenced()");
    assertThatThrownBy(() -> WriteArguments.requireGuard(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("guard")
        .hasMessageContaining("PartialDataGuard.off()");
  }

  @Test
  void aPartitionValueNoBackendCanBindIsNamedWithItsType() {
    assertThatThrownBy(() -> WriteArguments.requirePartitionValue(1.5d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Double")
        .hasMessageContaining("1.5");
    assertThat(WriteArguments.requirePartitionValue(DAY)).isEqualTo(DAY);
  }

  @Test
  void aPartitionKeyIsThePlainTextOfTheValue() {
    assertThat(WriteArguments.partitionKey(new BigDecimal("1E+2"))).isEqualTo("100");
    assertThat(WriteArguments.partitionKey(DAY)).isEqualTo("2026-11-23");
    assertThat(WriteArguments.partitionKey(7L)).isEqualTo("7");
  }

  @Test
  @SuppressWarnings(
      "NullAway") // passes null on purpose: asserts the NullPointerException naming it
  void rowsOutsideThePartitionOrNullAreNamedByIndex() {
    Map<String, Object> in = Map.of("game_date", DAY);
    Map<String, Object> out = Map.of("game_date", DAY.plusDays(1));
    assertThat(WriteArguments.requireRowsInPartition(List.of(in), PARTITION)).hasSize(1);
    assertThatThrownBy(() -> WriteArguments.requireRowsInPartition(List.of(in, out), PARTITION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "row 1 has game_date = 2026-11-24, outside the partition game_date = 2026-11-23");
    assertThatThrownBy(
            () -> WriteArguments.requireRowsInPartition(Arrays.asList(in, null), PARTITION))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("row 1 is null");
    assertThatThrownBy(() -> WriteArguments.requireRowsInPartition(null, PARTITION))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("rows");
  }

  @Test
  void aRowMatchesItsPartitionByKeyEqualityOrText() {
    assertThat(WriteArguments.inPartition(Map.of("game_date", "2026-11-23"), PARTITION)).isTrue();
    assertThat(WriteArguments.inPartition(Map.of("n", 3), new PartitionFilter("n", 3L))).isTrue();
    assertThat(WriteArguments.inPartition(Map.of("other", DAY), PARTITION)).isFalse();
  }

  @Test
  void thePartitionIsDescribedOrTheWholeTable() {
    assertThat(WriteArguments.describe(Optional.of(PARTITION))).isEqualTo("game_date = 2026-11-23");
    assertThat(WriteArguments.describe(Optional.empty())).isEqualTo("whole table");
  }

  @Test
  void theGuardRefusesWhatItsDecisionRefuses() {
    PartialDataGuard guard = PartialDataGuard.ofDefaults();
    guard.check("ds.t", "p", 10, 5);
    assertThatThrownBy(() -> guard.check("ds.t", "p", 10, 4))
        .isInstanceOfSatisfying(
            PartialDataException.class,
            e -> {
              assertThat(e.currentRows()).isEqualTo(10);
              assertThat(e.newRows()).isEqualTo(4);
            })
        .hasMessageContaining("ds.t");
    assertThatThrownBy(() -> guard.check("ds.t", "p", 0, 0))
        .isInstanceOf(PartialDataException.class);
    PartialDataGuard.off().check("ds.t", "p", 10, 0);
  }

  @Test
  void aFenceIsRefusedOnlyByALaterStoredToken() {
    Fence fence = Fence.of("lock", 5);
    fence.checkNotOlderThan("ds.t", "p", 5);
    fence.checkNotOlderThan("ds.t", "p", 4);
    assertThatThrownBy(() -> fence.checkNotOlderThan("ds.t", "p", 6))
        .isInstanceOfSatisfying(
            StaleFenceException.class,
            e -> {
              assertThat(e.token()).isEqualTo(5);
              assertThat(e.storedToken()).isEqualTo(6);
            });
    Fence.unfenced().checkNotOlderThan("ds.t", "p", Long.MAX_VALUE);
  }
}
