package dev.pipelinereliability.health.freshness;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * When one source's data for a date is expected, and how late is a warning or a failure, in the
 * style of dbt's source freshness ({@code warn_after} / {@code error_after}).
 *
 * <p>Data for date {@code D} is expected at {@link #expectedAt()} local time in {@link #zone()} on
 * {@code D + daysAfter}: a box-score scraper for game date 2024-11-20 expected at 06:00
 * America/New_York the next morning is {@code expectedAt(06:00, America/New_York).daysAfter(1)}.
 * Lateness is measured against that instant; it is late by more than {@link #warnAfter()} is a
 * {@code WARN}, by more than {@link #errorAfter()} a {@code FAIL}. Exactly at a threshold is still
 * the milder status, as in dbt.
 *
 * <p>Local times resolve through the zone's rules for that very date, so daylight saving time is
 * handled: 06:00 America/New_York is 11:00Z in winter and 10:00Z in summer. A local time that does
 * not exist on a date (02:30 on the night clocks spring forward) moves forward by the length of the
 * gap (03:30); one that exists twice (01:30 on the night clocks fall back) takes the earlier
 * instant.
 *
 * <p>Rules, checked by the constructor:
 *
 * <ul>
 *   <li>{@code source}: 1 to {@value #MAX_SOURCE_LENGTH} characters, a letter or digit followed by
 *       letters, digits, {@code _}, {@code -} or {@code .};
 *   <li>{@code daysAfter}: 0 to {@value #MAX_DAYS_AFTER};
 *   <li>{@code warnAfter}: zero or positive; {@code errorAfter}: at least {@code warnAfter}, and at
 *       most {@value #MAX_DAYS_AFTER} days.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param source the source's name, used in the check name ({@code freshness:<source>:<date>})
 * @param expectedAt the local time the data is expected
 * @param zone the time zone {@code expectedAt} is in
 * @param daysAfter how many days after the data's date it is expected
 * @param warnAfter lateness beyond which the check warns
 * @param errorAfter lateness beyond which the check fails
 */
public record SourceFreshness(
    String source,
    LocalTime expectedAt,
    ZoneId zone,
    int daysAfter,
    Duration warnAfter,
    Duration errorAfter) {
  /** Longest accepted source name, in characters. */
  public static final int MAX_SOURCE_LENGTH = 100;

  /** Largest accepted {@code daysAfter}, and the largest {@code errorAfter} in days. */
  public static final int MAX_DAYS_AFTER = 31;

  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /**
   * Validates and creates the rule; prefer {@link #builder(String)}.
   *
   * @param source the source
   * @param expectedAt the expected at
   * @param zone the zone
   * @param daysAfter the days after
   * @param warnAfter the warn after
   * @param errorAfter the error after
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a value breaks the rules above; the message names it
   */
  public SourceFreshness {
    requireNonNull(source, "source");
    requireNonNull(expectedAt, "expectedAt");
    requireNonNull(zone, "zone");
    requireNonNull(warnAfter, "warnAfter");
    requireNonNull(errorAfter, "errorAfter");
    if (source.length() > MAX_SOURCE_LENGTH || !SOURCE.matcher(source).matches()) {
      throw new IllegalArgumentException(
          "source must be 1-"
              + MAX_SOURCE_LENGTH
              + " characters of [A-Za-z0-9_.-] starting with a letter or digit, but was '"
              + source
              + "'");
    }
    if (daysAfter < 0 || daysAfter > MAX_DAYS_AFTER) {
      throw new IllegalArgumentException(
          "daysAfter must be 0-" + MAX_DAYS_AFTER + ", but was " + daysAfter + " for " + source);
    }
    if (warnAfter.isNegative()) {
      throw new IllegalArgumentException(
          "warnAfter must not be negative, but was " + warnAfter + " for " + source);
    }
    if (errorAfter.compareTo(warnAfter) < 0) {
      throw new IllegalArgumentException(
          "errorAfter "
              + errorAfter
              + " must not be shorter than warnAfter "
              + warnAfter
              + " for "
              + source);
    }
    if (errorAfter.compareTo(Duration.ofDays(MAX_DAYS_AFTER)) > 0) {
      throw new IllegalArgumentException(
          "errorAfter must be at most " + MAX_DAYS_AFTER + " days, but was " + errorAfter);
    }
  }

  /**
   * Returns a builder for {@code source}; see {@link Builder} for the defaults.
   *
   * @param source the source
   * @return a builder for {@code source}; see {@link Builder} for the defaults
   */
  public static Builder builder(String source) {
    return new Builder(source);
  }

  /**
   * Returns the instant data for {@code date} is expected, in this rule's zone.
   *
   * @param date the date
   * @return the instant data for {@code date} is expected, in this rule's zone
   */
  public ZonedDateTime expectedArrival(LocalDate date) {
    return ZonedDateTime.of(date.plusDays(daysAfter), expectedAt, zone);
  }

  /**
   * Returns the most recent date whose data was due at or before {@code now}: the date a job that
   * runs on a schedule should check. At 05:59 New York time with {@code 06:00, daysAfter 1} that is
   * two days ago; at 06:00, yesterday.
   *
   * @param now the now
   * @return the most recent date whose data was due at or before {@code now}: the date a job that
   *     runs on a schedule should check
   */
  public LocalDate latestDueDate(Instant now) {
    requireNonNull(now, "now");
    LocalDate date = now.atZone(zone).toLocalDate().minusDays(daysAfter);
    // At most one step back: the expected instant of a date lies on its local day D + daysAfter.
    return expectedArrival(date).toInstant().isAfter(now) ? date.minusDays(1) : date;
  }

  /**
   * Builds a {@link SourceFreshness}. Defaults: {@code daysAfter} 0 and {@code warnAfter} zero
   * (warn as soon as the data is late at all); {@code expectedAt} and {@code errorAfter} have no
   * default and must be set. Not thread-safe.
   */
  public static final class Builder {
    private final String source;
    // Null until expectedAt(...) sets both; build() refuses to run without them.
    private @Nullable LocalTime expectedAt;
    private @Nullable ZoneId zone;
    private int daysAfter;
    private Duration warnAfter = Duration.ZERO;
    private @Nullable Duration errorAfter;

    private Builder(String source) {
      this.source = requireNonNull(source, "source");
    }

    /**
     * Sets the local time and zone the data is expected at.
     *
     * @param time the time
     * @param zone the zone
     * @return this builder
     */
    public Builder expectedAt(LocalTime time, ZoneId zone) {
      this.expectedAt = requireNonNull(time, "time");
      this.zone = requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Sets how many days after its date the data is expected (0: the same day).
     *
     * @param days the days
     * @return this builder
     */
    public Builder daysAfter(int days) {
      this.daysAfter = days;
      return this;
    }

    /**
     * Sets the lateness beyond which the check warns.
     *
     * @param warnAfter the warn after
     * @return this builder
     */
    public Builder warnAfter(Duration warnAfter) {
      this.warnAfter = requireNonNull(warnAfter, "warnAfter");
      return this;
    }

    /**
     * Sets the lateness beyond which the check fails.
     *
     * @param errorAfter the error after
     * @return this builder
     */
    public Builder errorAfter(Duration errorAfter) {
      this.errorAfter = requireNonNull(errorAfter, "errorAfter");
      return this;
    }

    /**
     * Returns the rule.
     *
     * @return the rule
     * @throws IllegalStateException if {@code expectedAt} or {@code errorAfter} was not set
     * @throws IllegalArgumentException if a value breaks the rules of {@link SourceFreshness}
     */
    public SourceFreshness build() {
      LocalTime at = expectedAt;
      ZoneId atZone = zone;
      if (at == null || atZone == null) {
        throw new IllegalStateException("expectedAt was not set for source '" + source + "'");
      }
      Duration error = errorAfter;
      if (error == null) {
        throw new IllegalStateException("errorAfter was not set for source '" + source + "'");
      }
      return new SourceFreshness(source, at, atZone, daysAfter, warnAfter, error);
    }
  }
}
