package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.examples.pipeline.GameDay;
import dev.pipelinereliability.examples.pipeline.LockedProcessor;
import dev.pipelinereliability.examples.pipeline.PipelineHealth;
import dev.pipelinereliability.examples.pipeline.PipelineServices;
import dev.pipelinereliability.examples.pipeline.PlayerGameSummaryProcessor;
import dev.pipelinereliability.examples.pipeline.SourceFeed;
import dev.pipelinereliability.examples.pipeline.TeamDefenseProcessor;
import dev.pipelinereliability.examples.pipeline.TeamOffenseProcessor;
import dev.pipelinereliability.examples.pipeline.UpcomingPlayerContextProcessor;
import dev.pipelinereliability.examples.pipeline.UpcomingTeamContextProcessor;
import dev.pipelinereliability.examples.time.CompressedTime;
import dev.pipelinereliability.examples.warehouse.SimulatedWarehouse;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything one replay run plays in: simulated time, the raw data feed with the scenario's late
 * gamebook batches, a fresh warehouse, the timeline, and the five Phase 3 processors wired to them.
 * Each run gets a world of its own, so the naive run cannot leave anything behind for the library
 * run.
 */
final class ReplayWorld implements AutoCloseable {
  /** How long a processor's read of the raw tables takes. */
  static final Duration QUERY_TIME = Duration.ofSeconds(30);

  private final Scenario scenario;
  private final CompressedTime time;
  private final SourceFeed feed;
  private final SimulatedWarehouse warehouse;
  private final Timeline timeline;
  private final List<LockedProcessor> phase3;
  private final LockAdmin lockAdmin;

  ReplayWorld(Scenario scenario, long factor, Function<Clock, DistributedLock> locks) {
    this.scenario = scenario;
    this.time = new CompressedTime(scenario.start().toInstant(), factor, scenario.zone());
    this.feed = new SourceFeed(time, QUERY_TIME);
    GameDay day = GameDay.of(scenario.gameDate());
    feed.deliver(
        SourceFeed.GAMEBOOK, day.date(), day.earlyBatch(), scenario.earlyBatchAt().toInstant());
    feed.deliver(
        SourceFeed.GAMEBOOK, day.date(), day.lateBatch(), scenario.lateBatchAt().toInstant());
    this.warehouse = new SimulatedWarehouse(time);
    this.timeline = new Timeline(scenario, time);
    DistributedLock lockStore = locks.apply(time.clock());
    if (!(lockStore instanceof LockAdmin admin)) {
      throw new IllegalArgumentException(
          "the replay needs a lock store with an admin view (LockAdmin), but got " + lockStore);
    }
    this.lockAdmin = admin;
    PipelineServices services =
        new PipelineServices(
            lockStore,
            warehouse,
            warehouse,
            warehouse.duplicateValidator(),
            feed,
            timeline::publish,
            time.clock());
    this.phase3 =
        List.of(
            new PlayerGameSummaryProcessor(services),
            new TeamOffenseProcessor(services),
            new TeamDefenseProcessor(services),
            new UpcomingPlayerContextProcessor(services),
            new UpcomingTeamContextProcessor(services));
  }

  CompressedTime time() {
    return time;
  }

  SimulatedWarehouse warehouse() {
    return warehouse;
  }

  LockAdmin lockAdmin() {
    return lockAdmin;
  }

  Timeline timeline() {
    return timeline;
  }

  List<LockedProcessor> phase3() {
    return phase3;
  }

  /**
   * The pipeline's health checks for {@code date} over this world's feed, warehouse and locks, on
   * simulated time.
   */
  HealthCheckRunner health(LocalDate date) {
    return PipelineHealth.forDate(
        date,
        d -> feed.lastArrival(SourceFeed.GAMEBOOK, d),
        warehouse.duplicateValidator(),
        lockAdmin,
        time.clock());
  }

  /** Stops the timeline's delivery threads. */
  @Override
  public void close() {
    timeline.close();
  }

  /** Rows and distinct business keys per Phase 3 table, counted from the warehouse. */
  List<TableOutcome> tableOutcomes() {
    return phase3.stream()
        .map(
            p -> {
              List<Map<String, Object>> rows = warehouse.rows(p.table(), scenario.gameDate());
              Set<List<Object>> keys = new HashSet<>();
              rows.forEach(r -> keys.add(p.keyFields().stream().map(r::get).toList()));
              return new TableOutcome(p.table(), rows.size(), keys.size());
            })
        .toList();
  }

  /** Phase 3 processors whose table has rows for the date: the real completion count. */
  long processorsWithData() {
    return phase3.stream()
        .filter(p -> !warehouse.rows(p.table(), scenario.gameDate()).isEmpty())
        .count();
  }
}
