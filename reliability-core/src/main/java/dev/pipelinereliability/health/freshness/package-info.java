/**
 * Late-data detection in the style of dbt source freshness: for each source, when its data for a
 * date is expected (a local time in a time zone, some days after the date) and how late is a
 * warning or a failure; an {@link dev.pipelinereliability.health.freshness.ArrivalSource} reports
 * when the data actually arrived; a {@link dev.pipelinereliability.health.freshness.FreshnessCheck}
 * judges one source and date as a {@link dev.pipelinereliability.health.HealthCheck}.
 *
 * <pre>{@code
 * SourceFreshness oddsApi = SourceFreshness.builder("odds-api")
 *     .expectedAt(LocalTime.of(6, 0), ZoneId.of("America/New_York"))
 *     .daysAfter(1)
 *     .warnAfter(Duration.ofMinutes(30))
 *     .errorAfter(Duration.ofHours(2))
 *     .build();
 * HealthCheck check = new FreshnessCheck(oddsApi, arrivals, LocalDate.parse("2024-11-20"), clock);
 * }</pre>
 *
 * <p>A scraper expected at 06:00 ET that runs at 14:45 ET is reported as {@code FAIL}, "arrived at
 * 14:45, 8h45m late".
 */
@NullMarked
package dev.pipelinereliability.health.freshness;

import org.jspecify.annotations.NullMarked;
