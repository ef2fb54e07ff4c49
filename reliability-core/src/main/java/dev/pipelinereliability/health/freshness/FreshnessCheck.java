package dev.pipelinereliability.health.freshness;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.internal.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that one source's data for one date arrived on time, as {@link SourceFreshness} defines.
 *
 * <p>Lateness is the arrival time minus the expected time when the data has arrived, and the
 * current time minus the expected time when it has not. Then:
 *
 * <ul>
 *   <li>lateness at most {@link SourceFreshness#warnAfter()} (including early, and not yet due):
 *       {@link HealthStatus#OK};
 *   <li>more than {@code warnAfter}, at most {@link SourceFreshness#errorAfter()}: {@link
 *       HealthStatus#WARN};
 *   <li>more than {@code errorAfter}: {@link HealthStatus#FAIL}.
 * </ul>
 *
 * <p>Data that arrived late stays a finding after it arrived: downstream processors may already
 * have run on the partial data.
 *
 * <p>When the {@link ArrivalSource} throws, the exception propagates, and {@link
 * dev.pipelinereliability.health.HealthCheckRunner} reports {@link HealthStatus#ERROR}: an
 * unreachable source is never "on time".
 *
 * <p>The check's name is {@code freshness:<source>:<date>}, so alert suppression treats each date
 * as its own finding. Immutable and thread-safe if its source is.
 */
public final class FreshnessCheck implements HealthCheck {
  private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final SourceFreshness rule;
  private final ArrivalSource arrivals;
  private final LocalDate date;
  private final Clock clock;
  private final String name;

  /**
   * Creates the check of {@code date}'s data.
   *
   * @param rule when the data is expected and how late is too late
   * @param arrivals where to ask when it arrived
   * @param date the data's date (for example a game date), not the day it is expected
   * @param clock the current time, for data that has not arrived yet
   */
  public FreshnessCheck(SourceFreshness rule, ArrivalSource arrivals, LocalDate date, Clock clock) {
    this.rule = requireNonNull(rule, "rule");
    this.arrivals = requireNonNull(arrivals, "arrivals");
    this.date = requireNonNull(date, "date");
    this.clock = requireNonNull(clock, "clock");
    this.name = "freshness:" + rule.source() + ":" + date;
  }

  /**
   * Returns one check per rule for the latest date each rule has made due at the clock's current
   * instant ({@link SourceFreshness#latestDueDate}): what an hourly or daily scheduled job checks.
   *
   * @param clock the clock
   * @param sources each rule with its arrival source
   * @return one check per rule for the latest date each rule has made due at the clock's current
   *     instant ({@link SourceFreshness#latestDueDate}): what an hourly or daily scheduled job
   *     checks
   */
  public static List<FreshnessCheck> latestDue(
      Map<SourceFreshness, ArrivalSource> sources, Clock clock) {
    requireNonNull(clock, "clock");
    Instant now = clock.instant();
    return sources.entrySet().stream()
        .map(
            e -> new FreshnessCheck(e.getKey(), e.getValue(), e.getKey().latestDueDate(now), clock))
        .toList();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the rule this check applies.
   *
   * @return the rule this check applies
   */
  public SourceFreshness rule() {
    return rule;
  }

  /**
   * Returns the date whose data this check looks for.
   *
   * @return the date whose data this check looks for
   */
  public LocalDate date() {
    return date;
  }

  /**
   * Asks the arrival source and judges the lateness.
   *
   * @throws ArrivalUnavailableException (or whatever the source throws) if the source could not be
   *     asked
   */
  @Override
  public CheckResult run() {
    ZonedDateTime expected = rule.expectedArrival(date);
    Optional<Instant> arrival = arrivals.latestArrival(date);
    Instant now = clock.instant();
    Duration lateness = Duration.between(expected.toInstant(), arrival.orElse(now));
    HealthStatus status = judge(lateness);

    String expectedText =
        expected.format(LOCAL_TIME) + " " + rule.zone().getId() + " on " + expected.toLocalDate();
    String message;
    if (arrival.isPresent()) {
      String when = arrival.get().atZone(rule.zone()).format(LOCAL_TIME);
      message =
          lateness.isNegative() || lateness.isZero()
              ? "arrived at "
                  + when
                  + ", "
                  + Text.human(lateness.negated())
                  + " before "
                  + expectedText
              : "arrived at "
                  + when
                  + ", "
                  + Text.human(lateness)
                  + " late (expected "
                  + expectedText
                  + ")";
    } else {
      message =
          lateness.isNegative() || lateness.isZero()
              ? "not due yet: expected " + expectedText
              : "not arrived, " + Text.human(lateness) + " late (expected " + expectedText + ")";
    }
    if (status != HealthStatus.OK) {
      message +=
          "; "
              + (status == HealthStatus.FAIL ? "error" : "warn")
              + " threshold "
              + Text.human(status == HealthStatus.FAIL ? rule.errorAfter() : rule.warnAfter());
    }

    Map<String, String> details = new LinkedHashMap<>();
    details.put("source", rule.source());
    details.put("date", date.toString());
    details.put("expected", expected.toOffsetDateTime().toString());
    details.put("arrived", arrival.map(Instant::toString).orElse("none"));
    details.put("lateness", lateness.isNegative() ? Duration.ZERO.toString() : lateness.toString());
    details.put("warnAfter", rule.warnAfter().toString());
    details.put("errorAfter", rule.errorAfter().toString());
    return new CheckResult(name, status, message, details);
  }

  private HealthStatus judge(Duration lateness) {
    if (lateness.compareTo(rule.errorAfter()) > 0) {
      return HealthStatus.FAIL;
    }
    if (lateness.compareTo(rule.warnAfter()) > 0) {
      return HealthStatus.WARN;
    }
    return HealthStatus.OK;
  }

  @Override
  public String toString() {
    return "FreshnessCheck[" + name + "]";
  }
}
