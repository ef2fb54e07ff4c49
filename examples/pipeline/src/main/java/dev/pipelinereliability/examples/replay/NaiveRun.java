package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.examples.pipeline.Phase3Processor;
import dev.pipelinereliability.examples.pipeline.Processor;
import dev.pipelinereliability.examples.warehouse.ConcurrentUpdateException;
import dev.pipelinereliability.examples.warehouse.SimulatedWarehouse;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The legacy pipeline as it ran: no lock, MERGE with a DELETE-then-INSERT fallback when MERGE fails
 * on a concurrent update, and the transaction-and-counter orchestrator ({@link NaiveOrchestrator}).
 * It runs the same processors' business logic as the library run. Nothing watches arrival times, so
 * nothing re-runs the processors once the late data has landed.
 */
final class NaiveRun {
  private NaiveRun() {}

  static Outcome run(Scenario scenario, ReplayWorld world, Consumer<String> progress) {
    LocalDate date = scenario.gameDate();
    SimulatedWarehouse warehouse = world.warehouse();
    List<Processor> processors = List.copyOf(world.phase3());
    NaiveOrchestrator orchestrator = new NaiveOrchestrator(world.time(), processors.size());
    Timeline timeline = world.timeline();
    timeline.orchestrator(message -> orchestrator.onMessage(message.processor()));

    timeline.play(
        processors,
        p -> {
          String line = write(warehouse, p, date);
          timeline.publish(
              new CompletionMessage(
                  Phase3Processor.PHASE, date, p.name(), UUID.randomUUID().toString(), 0, 0));
          return Optional.of(line);
        },
        progress);
    return new Outcome(
        world.tableOutcomes(),
        orchestrator.storedCount(),
        world.processorsWithData(),
        processors.size(),
        orchestrator.triggers.get(),
        timeline.deliveries(),
        orchestrator.lostMessages.get(),
        0,
        List.of(),
        "not played (no lock)");
  }

  private static String write(SimulatedWarehouse warehouse, Processor p, LocalDate date) {
    var rows = p.compute(date);
    try {
      warehouse.merge(p.table(), date, rows, p.keyFields());
      return "MERGE of " + rows.size() + " rows";
    } catch (ConcurrentUpdateException e) {
      warehouse.delete(p.table(), date);
      warehouse.insert(p.table(), date, rows);
      return "MERGE failed ("
          + e.getMessage()
          + "); fell back to DELETE then INSERT of "
          + rows.size()
          + " rows";
    }
  }
}
