package dev.pipelinereliability.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

  private static void assertSame(@Nullable Object a, @Nullable Object b) {
    assertThat(KeyValues.same(a, b)).as("%s same as %s", a, b).isTrue();
    assertThat(KeyValues.same(b, a)).as("%s same as %s", b, a).isTrue();
    assertThat(KeyValues.hash(a)).as("hash of %s vs %s", a, b).isEqualTo(KeyValues.hash(b));
  }

  private static void assertDifferent(@Nullable Object a, @Nullable Object b) {
    assertThat(KeyValues.same(a, b)).as("%s same as %s", a, b).isFalse();
    assertThat(KeyValues.same(b, a)).as("%s same as %s", b, a).isFalse();
  }

  @Test
  void integralTypesAreOneInt64Class() {
    assertSame(1, 1L);
    assertSame((byte) 1, (short) 1);
    assertSame(BigInteger.ONE, 1L);
    assertDifferent(1, 2L);
  }

  @Test
  void int64AndFloat64AndNumericNeverMeet() {
    assertDifferent(1L, 1.0d);
    assertDifferent(1L, new BigDecimal("1"));
    assertDifferent(1.0d, new BigDecimal("1.0"));
    assertDifferent("1", 1L);
  }

  @Test
  void float64ComparesByValueWithBigQueryZeroAndNaNGrouping() {
    assertSame(1.0f, 1.0d);
    assertSame(0.0d, -0.0d);
    assertSame(Double.NaN, Float.NaN);
    assertDifferent(0.1f, 0.1d); // 0.1f widens to 0.10000000149011612
  }

  @Test
  void numericIgnoresScale() {
    assertSame(new BigDecimal("1.0"), new BigDecimal("1.000"));
    assertSame(BigDecimal.ZERO, new BigDecimal("0.00"));
  }

  @Test
  void nullsGroupTogetherAndApartFromValues() {
    assertSame(null, null);
    assertDifferent(null, "");
    assertDifferent(null, 0L);
  }

  @Test
  void bytesAndListsCompareByContent() {
    assertSame(new byte[] {1, 2}, new byte[] {1, 2});
    assertSame(Arrays.asList(1, null, "x"), Arrays.asList(1L, null, "x"));
    assertDifferent(Arrays.asList(1, 2), Arrays.asList(1, 2, 3));
  }

  @Test
  void otherTypesUseEquals() {
    assertSame(LocalDate.of(2026, 11, 23), LocalDate.parse("2026-11-23"));
    assertDifferent(LocalDate.of(2026, 11, 23), "2026-11-23");
  }

  @Test
  void versionsOrderNullsOldestAndNumbersNumerically() {
    assertThat(KeyValues.compareVersions(null, 0L)).isNegative();
    assertThat(KeyValues.compareVersions(2, 10L)).isNegative();
    assertThat(KeyValues.compareVersions(2.5d, 2L)).isPositive();
    assertThat(KeyValues.compareVersions("b", "a")).isPositive();
    assertThatThrownBy(() -> KeyValues.compareVersions("b", 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }
}
