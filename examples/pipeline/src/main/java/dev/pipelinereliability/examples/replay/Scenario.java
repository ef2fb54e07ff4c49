package dev.pipelinereliability.examples.replay;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The incident's timeline (Feb 3, 2026 games, processed on Feb 4, times in New York): the gamebook
 * scraper, expected at 06:00, delivered 2 games at 14:45 and the other 8 at 15:00:15; every Phase 3
 * processor was started at 15:00:06 and again 18 s later; Pub/Sub delivered every completion
 * message twice.
 *
 * @param gameDate the date being processed
 * @param zone the pipeline's time zone
 * @param earlyBatchAt when the first 2 games arrived
 * @param lateBatchAt when the other 8 games arrived
 * @param firstRun when the first instance of each processor starts
 * @param secondRunDelay how much later the second instance starts
 * @param deliveriesPerMessage how often Pub/Sub delivers each completion message
 */
public record Scenario(
    LocalDate gameDate,
    ZoneId zone,
    ZonedDateTime earlyBatchAt,
    ZonedDateTime lateBatchAt,
    ZonedDateTime firstRun,
    Duration secondRunDelay,
    int deliveriesPerMessage) {

  /** The incident of Feb 3, 2026. */
  public static Scenario incident() {
    ZoneId newYork = ZoneId.of("America/New_York");
    LocalDate gameDate = LocalDate.of(2026, 2, 3);
    LocalDate runDay = gameDate.plusDays(1);
    return new Scenario(
        gameDate,
        newYork,
        ZonedDateTime.of(runDay, LocalTime.of(14, 45), newYork),
        ZonedDateTime.of(runDay, LocalTime.of(15, 0, 15), newYork),
        ZonedDateTime.of(runDay, LocalTime.of(15, 0, 6), newYork),
        Duration.ofSeconds(18),
        2);
  }

  /** When simulated time starts: a little before the first run. */
  public ZonedDateTime start() {
    return firstRun.minusSeconds(10);
  }
}
