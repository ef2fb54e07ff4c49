package dev.pipelinereliability.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class IdentifierTest {

  public static Stream<String> hostileNames() {
    return Stream.of(
        "a`b",
        "`",
        "a; DROP TABLE x",
        "t;",
        "a\nb",
        "a\rb",
        "a b",
        "",
        " ",
        "a'b",
        "a\"b",
        "a/*b*/",
        "x".repeat(1025),
        "a\u0000b",
        "é`");
  }

  @ParameterizedTest
  @MethodSource("hostileNames")
  void hostileTableNamesAreRejected(String name) {
    assertThatThrownBy(() -> TableRef.parse("ds." + name))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableRef.parse(name + ".t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableRef.parse(name + ".ds.t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("hostileNames")
  void hostileColumnNamesAreRejected(String name) {
    assertThatThrownBy(() -> Columns.validate(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overLongColumnIsRejectedAndMessageIsTruncated() {
    String name = "c".repeat(301);
    assertThatThrownBy(() -> Columns.validate(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("301 chars");
    assertThat(Columns.validate("c".repeat(300))).hasSize(300);
  }

  @Test
  void commentMarkersAreRejectedInColumnsAndHarmlessInQuotedTables() {
    assertThatThrownBy(() -> Columns.validate("a--b")).isInstanceOf(IllegalArgumentException.class);
    // BigQuery allows hyphens in table names; inside backticks "--" cannot start a comment.
    assertThat(TableRef.parse("ds.a--b").sql()).isEqualTo("`ds`.`a--b`");
  }

  @Test
  void reservedPrefixesAreRejected() {
    assertThatThrownBy(() -> Columns.validate("_PARTITIONTIME"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Columns.validate("_table_suffix"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validNamesAreQuotedPartByPart() {
    assertThat(TableRef.parse("my-project.ds_1.t-2").sql()).isEqualTo("`my-project`.`ds_1`.`t-2`");
    assertThat(TableRef.parse("example.com:my-project.ds.t").project())
        .isEqualTo("example.com:my-project");
    assertThat(TableRef.parse("ds.t").sql()).isEqualTo("`ds`.`t`");
    assertThat(Columns.quote("_game_date1")).isEqualTo("`_game_date1`");
  }

  @Test
  void tableIdNeedsTwoOrThreeParts() {
    assertThatThrownBy(() -> TableRef.parse("table")).hasMessageContaining("'table'");
    assertThatThrownBy(() -> TableRef.parse("a.b.c.d"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "   "})
  void aBlankTableReadsTheSameFromTheWriterAndTheValidator(String blank) {
    String expected = "table is blank: '" + blank + "'";

    assertThatThrownBy(() -> TableRef.parse(blank)).hasMessage(expected);
    assertThatThrownBy(
            () -> dev.pipelinereliability.validation.DuplicateCheck.of(blank, List.of("id")))
        .hasMessage(expected);
  }
}
