package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.examples.orchestrator.PhaseOrchestrator;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.examples.pipeline.LockedProcessor;
import dev.pipelinereliability.examples.pipeline.Phase3Processor;
import dev.pipelinereliability.examples.pipeline.RunResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher;
import dev.pipelinereliability.write.StaleFenceException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The same processors on the same timeline, through {@link LockedProcessor#run}: lock, dedup,
 * atomic replace, validation, completion with the fencing token; the orchestrator records every
 * delivery in a {@link CompletionTracker}, which fires the Phase 4 trigger exactly once.
 */
final class LibraryRun {
  /** {@link Outcome#staleWrite()} when the fenced writer refused the stalled holder's commit. */
  static final String STALE_WRITE_REFUSED = "refused (older token)";

  private final Scenario scenario;
  private final ReplayWorld world;
  private final RecordingTriggerPublisher phase4Triggers = new RecordingTriggerPublisher();
  private final CompletionTracker tracker;

  LibraryRun(Scenario scenario, ReplayWorld world, Backends backends) {
    this.scenario = scenario;
    this.world = world;
    CompletionConfig config =
        CompletionConfig.of(
            PhaseConfig.of(
                Phase3Processor.PHASE,
                world.phase3().stream().map(LockedProcessor::name).toList()));
    this.tracker = backends.tracker(config, phase4Triggers, world.time().clock());
  }

  /** The pipeline's health checks for {@code date} over this run's stores. */
  HealthCheckRunner health(LocalDate date) {
    return world.health(date);
  }

  /** Plays the scenario and returns what it left behind. */
  Outcome play(Consumer<String> progress) {
    LocalDate date = scenario.gameDate();
    List<LockedProcessor> processors = world.phase3();
    AtomicInteger failedDeliveries = new AtomicInteger();
    PhaseOrchestrator orchestrator = new PhaseOrchestrator(tracker);
    world
        .timeline()
        .orchestrator(message -> record(orchestrator, message, failedDeliveries, progress));

    AtomicInteger skipped = new AtomicInteger();
    world
        .timeline()
        .play(
            processors,
            p -> {
              RunResult result = ((LockedProcessor) p).run(date);
              if (result.status() == RunResult.Status.SKIPPED_LOCKED) {
                skipped.incrementAndGet();
                return Optional.of("lock held by another instance: skipped, reported success");
              }
              return Optional.of(describe(result));
            },
            progress);
    List<String> findings =
        health(date).run().issues().stream()
            .map(issue -> issue.status() + " " + issue.name() + ": " + issue.message())
            .toList();
    findings.forEach(f -> progress.accept("health check: " + f));
    if (!findings.isEmpty()) {
      // The late-data finding tells operations the first runs saw partial data: reprocess the date.
      // Safe by construction: the lock serialises runs, the replace is atomic, and the tracker
      // records a newer completion without firing a second trigger.
      progress.accept("the late data has landed; reprocessing the date");
      for (LockedProcessor p : processors) {
        progress.accept(p.name() + " rerun: " + describe(p.run(date)));
      }
      world.timeline().awaitDeliveries();
    }

    String staleWrite = stalledHolder(processors.get(0), date, progress);
    world.timeline().awaitDeliveries();

    return new Outcome(
        world.tableOutcomes(),
        storedCount(tracker.state(CompletionKey.of(Phase3Processor.PHASE, date))),
        world.processorsWithData(),
        processors.size(),
        phase4Triggers.published().size(),
        world.timeline().deliveries(),
        failedDeliveries.get(),
        skipped.get(),
        findings,
        staleWrite);
  }

  /**
   * The stalled holder of issue 11: instance A of {@code p} passes its lock check and stalls (a GC
   * pause, Cloud Run throttling the CPU between requests). Its lock is taken over meanwhile
   * (force-released here, as the lease running out would after 10 minutes) and instance B reruns
   * the date. Then A's commit reaches the warehouse, whose fence refuses it.
   */
  private String stalledHolder(LockedProcessor p, LocalDate date, Consumer<String> progress) {
    LockKey key = LockKey.of(p.phase(), p.table() + "/" + date);
    world
        .warehouse()
        .duringNextCommit(
            () -> {
              progress.accept(
                  p.name()
                      + " instance A passed its lock check, then stalls before its commit;"
                      + " its lock is taken over");
              world.lockAdmin().forceRelease(key, "holder stalled past its lease (replay)");
              progress.accept(p.name() + " instance B: " + describe(p.run(date)));
            });
    try {
      RunResult stale = p.run(date);
      progress.accept(p.name() + " instance A resumes: its late commit LANDED: " + describe(stale));
      return "applied (stale rows landed)";
    } catch (StaleFenceException e) {
      progress.accept(p.name() + " instance A resumes: " + e.getMessage());
      return STALE_WRITE_REFUSED;
    }
  }

  /** The count the tracker stored; a store that keeps none is reported by its derived count. */
  private static long storedCount(CompletionState state) {
    return state.storedCount().orElse(state.completedCount());
  }

  private static void record(
      PhaseOrchestrator orchestrator,
      CompletionMessage message,
      AtomicInteger failed,
      Consumer<String> progress) {
    try {
      orchestrator.onCompletion(message);
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      // The count alone cannot say why: a tracker refusal, a store deadline under load, a bug.
      progress.accept(
          "delivery of "
              + message.processor()
              + "'s completion (token "
              + message.fencingToken()
              + ") FAILED: "
              + e);
    }
  }

  private static String describe(RunResult result) {
    return "wrote "
        + result.rowsWritten()
        + " rows atomically (lock token "
        + result.fencingToken()
        + (result.duplicatesRemoved() > 0
            ? ", " + result.duplicatesRemoved() + " duplicates removed before the write"
            : "")
        + ")";
  }
}
