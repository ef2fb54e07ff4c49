package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.examples.pipeline.SourceFeed;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import java.time.Duration;
import java.util.List;

/**
 * The freshness check the library run schedules beside its processors: the gamebook source is due
 * at 06:00 New York time the day after the games; a warning after one hour, an error after four
 * (the seed report's "alert when scrapers run more than 4 hours late").
 */
final class LateData {
  private LateData() {}

  static SourceFreshness gamebookRule(Scenario scenario) {
    return SourceFreshness.builder(SourceFeed.GAMEBOOK)
        .expectedAt(scenario.expectedArrival(), scenario.zone())
        .daysAfter(1)
        .warnAfter(Duration.ofHours(1))
        .errorAfter(Duration.ofHours(4))
        .build();
  }

  /** Runs the check now and returns one line per issue it found. */
  static List<String> findings(Scenario scenario, ReplayWorld world) {
    CheckResult result =
        new FreshnessCheck(
                gamebookRule(scenario),
                date -> world.feed().lastArrival(SourceFeed.GAMEBOOK, date),
                scenario.gameDate(),
                world.time().clock())
            .run();
    return result.isIssue()
        ? List.of(result.status() + " " + result.name() + ": " + result.message())
        : List.of();
  }
}
