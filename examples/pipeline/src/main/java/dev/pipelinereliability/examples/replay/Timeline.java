package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.examples.pipeline.Processor;
import dev.pipelinereliability.examples.time.CompressedTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Plays the scenario's schedule on real threads: every processor started twice ({@link
 * Scenario#secondRunDelay()} apart), and every completion message it publishes delivered {@link
 * Scenario#deliveriesPerMessage()} times to an orchestrator running 8 handler threads.
 */
final class Timeline implements AutoCloseable {
  private static final int ORCHESTRATOR_THREADS = 8;

  private final Scenario scenario;
  private final CompressedTime time;
  private final ExecutorService deliveries = Executors.newFixedThreadPool(ORCHESTRATOR_THREADS);
  private final List<Future<?>> delivered = new ArrayList<>();
  private Consumer<CompletionMessage> orchestrator = m -> {};

  Timeline(Scenario scenario, CompressedTime time) {
    this.scenario = scenario;
    this.time = time;
  }

  /** Sets who handles each delivery of a completion message. */
  void orchestrator(Consumer<CompletionMessage> handler) {
    this.orchestrator = handler;
  }

  /** Publishes {@code message}: it is delivered several times, concurrently. */
  synchronized void publish(CompletionMessage message) {
    for (int i = 0; i < scenario.deliveriesPerMessage(); i++) {
      delivered.add(deliveries.submit(() -> orchestrator.accept(message)));
    }
  }

  /**
   * Starts every processor twice on schedule, running {@code instance} for each start, and waits
   * until every run and every delivery so far has finished.
   *
   * @param instance runs one instance of a processor; returns a line for the progress log
   */
  void play(
      List<? extends Processor> processors,
      Function<Processor, Optional<String>> instance,
      Consumer<String> progress) {
    ExecutorService runs = Executors.newFixedThreadPool(processors.size() * 2);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        var at = scenario.firstRun().plus(scenario.secondRunDelay().multipliedBy(i)).toInstant();
        int instanceNo = i + 1;
        for (Processor p : processors) {
          started.add(
              runs.submit(
                  () -> {
                    time.sleepUntil(at);
                    instance
                        .apply(p)
                        .ifPresent(
                            line -> progress.accept(p.name() + " #" + instanceNo + ": " + line));
                  }));
        }
      }
      await(started);
    } finally {
      runs.shutdownNow();
    }
    awaitDeliveries();
  }

  /** Waits until every delivery published so far has been handled. */
  void awaitDeliveries() {
    List<Future<?>> all;
    synchronized (this) {
      all = List.copyOf(delivered);
    }
    await(all);
  }

  /** Deliveries published so far. */
  synchronized int deliveries() {
    return delivered.size();
  }

  /** Stops the delivery threads. */
  @Override
  public void close() {
    deliveries.shutdownNow();
  }

  private static void await(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      try {
        f.get(5, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new ReliabilityException("replay step failed: " + e.getMessage(), e);
      }
    }
  }
}
