package dev.pipelinereliability.testkit.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.validation.DuplicatesFoundException;
import dev.pipelinereliability.validation.ValidationException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DuplicateValidator} promises. A backend's test extends this class and
 * supplies {@link #validator()} and {@link #createTable(String, List)}; the in-memory validator and
 * every real backend run the same scenarios.
 *
 * <p>Every table the scenarios create has this schema (a backend creates it with these types):
 *
 * <ul>
 *   <li>{@code game_date DATE} — rows carry a {@link LocalDate}; the partition column;
 *   <li>{@code game_id STRING}, {@code player STRING} (nullable) — key columns;
 *   <li>{@code system_id INT64} — key column, rows carry a {@link Long};
 *   <li>{@code points INT64} — not a key.
 * </ul>
 *
 * <p>Sample keys come back in key-column order with backend-typed values: {@code STRING} as {@link
 * String}, {@code INT64} as {@link Long}.
 */
public abstract class DuplicateValidatorContract {

  /** The partition the scenarios check. */
  protected static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  /** A neighbouring partition whose rows must never be counted. */
  protected static final LocalDate OTHER_DAY = DAY.plusDays(1);

  /** The key columns of the scenarios. */
  protected static final List<String> KEY = List.of("game_id", "player", "system_id");

  /**
   * The validator under test.
   *
   * @return the validator under test
   */
  protected abstract DuplicateValidator validator();

  /**
   * Creates a table with the schema above holding exactly {@code rows}, and returns the id to use
   * in a {@link DuplicateCheck}.
   *
   * @param name a name unique within the test run, usable as a table name
   * @param rows the rows; a field absent from a row is NULL
   * @return the table id
   */
  protected abstract String createTable(String name, List<Map<String, Object>> rows);

  /**
   * A table id that does not exist.
   *
   * @return a table id that does not exist
   */
  protected String missingTable() {
    return "missing_" + uniqueSuffix();
  }

  private static String uniqueSuffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private String table(List<Map<String, Object>> rows) {
    return createTable("dupcheck_" + uniqueSuffix(), rows);
  }

  /**
   * A row in partition {@code day}.
   *
   * @param day the day
   * @param gameId the game id
   * @param player the player
   * @param systemId the system id
   * @param points the points
   * @return a row in partition {@code day}
   */
  protected static Map<String, Object> row(
      LocalDate day, String gameId, @Nullable String player, long systemId, long points) {
    Map<String, Object> r = new HashMap<>();
    r.put("game_date", day);
    r.put("game_id", gameId);
    r.put("player", player);
    r.put("system_id", systemId);
    r.put("points", points);
    return r;
  }

  private static Map<String, Object> row(String gameId, @Nullable String player, long systemId) {
    return row(DAY, gameId, player, systemId, 0);
  }

  private static List<Map<String, Object>> rows(
      List<Map<String, Object>> base, Map<String, Object> r, int times) {
    List<Map<String, Object>> out = new ArrayList<>(base);
    for (int i = 0; i < times; i++) {
      out.add(new HashMap<>(r));
    }
    return out;
  }

  private DuplicateCheck check(String table) {
    return DuplicateCheck.of(table, KEY).inPartition("game_date", DAY);
  }

  @Test
  void cleanPartitionReportsEveryRowAndNoDuplicates() {
    String t =
        table(List.of(row("g1", "a", 1), row("g1", "b", 1), row("g1", "a", 2), row("g2", "a", 1)));

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.isClean()).isTrue();
    assertThat(report.totalRows()).isEqualTo(4);
    assertThat(report.distinctKeys()).isEqualTo(4);
    assertThat(report.duplicateKeys()).isZero();
    assertThat(report.excessRows()).isZero();
    assertThat(report.samples()).isEmpty();
  }

  @Test
  void countsDuplicateKeysExcessRowsAndSamplesMostRowsFirst() {
    List<Map<String, Object>> data = new ArrayList<>();
    data = rows(data, row("g1", "a", 7), 3);
    data = rows(data, row("g1", "b", 7), 2);
    data = rows(data, row("g2", "a", 7), 1);
    String t = table(data);

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.isClean()).isFalse();
    assertThat(report.totalRows()).isEqualTo(6);
    assertThat(report.duplicateKeys()).isEqualTo(2);
    assertThat(report.excessRows()).isEqualTo(3);
    assertThat(report.distinctKeys()).isEqualTo(3);
    assertThat(report.samples())
        .containsExactly(
            new DuplicateSample(List.of("g1", "a", 7L), 3),
            new DuplicateSample(List.of("g1", "b", 7L), 2));
  }

  @Test
  void rowsOutsideThePartitionAreNotCounted() {
    List<Map<String, Object>> data = new ArrayList<>();
    data.add(row(DAY, "g1", "a", 1, 0));
    data.add(row(OTHER_DAY, "g1", "a", 1, 0));
    data.add(row(OTHER_DAY, "g1", "a", 1, 0));
    String t = table(data);

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.isClean()).isTrue();
    assertThat(report.totalRows()).isEqualTo(1);
  }

  @Test
  void wholeTableIsCheckedWithoutPartitionFilter() {
    List<Map<String, Object>> data = new ArrayList<>();
    data.add(row(DAY, "g1", "a", 1, 0));
    data.add(row(OTHER_DAY, "g1", "a", 1, 5));
    String t = table(data);

    DuplicateReport report = validator().validate(DuplicateCheck.of(t, KEY));

    assertThat(report.totalRows()).isEqualTo(2);
    assertThat(report.excessRows()).isEqualTo(1);
  }

  @Test
  void nullKeyValuesGroupTogether() {
    String t = table(List.of(row("g1", null, 1), row("g1", null, 1), row("g1", "a", 1)));

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.duplicateKeys()).isEqualTo(1);
    assertThat(report.excessRows()).isEqualTo(1);
    assertThat(report.samples())
        .containsExactly(new DuplicateSample(Arrays.asList("g1", null, 1L), 2));
  }

  @Test
  void nonKeyColumnsDoNotMakeRowsDistinct() {
    String t = table(List.of(row(DAY, "g1", "a", 1, 10), row(DAY, "g1", "a", 1, 20)));

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.excessRows()).isEqualTo(1);
  }

  @Test
  void sampleLimitCapsSamplesButNotCounts() {
    List<Map<String, Object>> data = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      data = rows(data, row("g" + i, "a", 1), 2);
    }
    data = rows(data, row("big", "a", 1), 4);
    String t = table(data);

    DuplicateReport report = validator().validate(check(t).withSampleLimit(2));

    assertThat(report.duplicateKeys()).isEqualTo(6);
    assertThat(report.excessRows()).isEqualTo(8);
    assertThat(report.samples()).hasSize(2);
    assertThat(report.samples().get(0)).isEqualTo(new DuplicateSample(List.of("big", "a", 1L), 4));
    assertThat(report.samples().get(1).count()).isEqualTo(2);

    DuplicateReport none = validator().validate(check(t).withSampleLimit(0));
    assertThat(none.samples()).isEmpty();
    assertThat(none.excessRows()).isEqualTo(8);
  }

  @Test
  void emptyPartitionIsClean() {
    String t = table(List.of(row(OTHER_DAY, "g1", "a", 1, 0)));

    DuplicateReport report = validator().validate(check(t));

    assertThat(report.isClean()).isTrue();
    assertThat(report.totalRows()).isZero();
  }

  @Test
  void requireCleanThrowsWithTheReport() {
    String t = table(rows(List.of(), row("g1", "a", 1), 2));

    DuplicateReport report = validator().validate(check(t));

    assertThatThrownBy(report::requireClean)
        .isInstanceOfSatisfying(
            DuplicatesFoundException.class, e -> assertThat(e.report().excessRows()).isEqualTo(1));
  }

  @Test
  void missingTableFailsWithValidationException() {
    assertThatThrownBy(() -> validator().validate(check(missingTable())))
        .isInstanceOf(ValidationException.class);
  }
}
