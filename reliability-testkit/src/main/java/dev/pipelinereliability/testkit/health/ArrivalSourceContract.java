package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.health.freshness.ArrivalUnavailableException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ArrivalSource} must have. Extend it in a test of your implementation
 * and supply the hooks; the in-memory source and every backend of this library run it.
 *
 * <p>Times are compared at microsecond precision, the finest BigQuery stores.
 */
public abstract class ArrivalSourceContract {
  /**
   * Returns the source under test; the same instance for every call within one test.
   *
   * @return the source under test; the same instance for every call within one test
   */
  protected abstract ArrivalSource source();

  /**
   * Stores a load of data for {@code date} at {@code at} where {@link #source()} will find it.
   *
   * @param date the date
   * @param at the at
   */
  protected abstract void recordArrival(LocalDate date, Instant at);

  /**
   * Makes {@link #source()} unable to reach its backend. Implementations that cannot simulate an
   * outage skip the test with {@link org.junit.jupiter.api.Assumptions} and say why.
   */
  protected abstract void makeUnreachable();

  private static final LocalDate DATE = LocalDate.parse("2024-11-20");
  private static final Instant LOAD = Instant.parse("2024-11-21T11:05:00.123456Z");

  @Test
  void dateWithoutDataHasNoArrival() {
    assertThat(source().latestArrival(DATE)).isEmpty();
  }

  @Test
  void recordedLoadIsReported() {
    recordArrival(DATE, LOAD);
    assertThat(source().latestArrival(DATE)).contains(LOAD);
  }

  @Test
  void theLatestOfSeveralLoadsIsReportedWhateverTheOrder() {
    Instant later = LOAD.plus(3, ChronoUnit.HOURS);
    recordArrival(DATE, later);
    recordArrival(DATE, LOAD);
    assertThat(source().latestArrival(DATE)).contains(later);
  }

  @Test
  void datesAreIndependent() {
    recordArrival(DATE, LOAD);
    assertThat(source().latestArrival(DATE.plusDays(1))).isEmpty();
    assertThat(source().latestArrival(DATE.minusDays(1))).isEmpty();
  }

  @Test
  void unreachableBackendThrowsInsteadOfAnsweringEmpty() {
    recordArrival(DATE, LOAD);
    makeUnreachable();
    assertThatThrownBy(() -> source().latestArrival(DATE))
        .isInstanceOf(ArrivalUnavailableException.class);
  }
}
