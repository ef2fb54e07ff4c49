package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;

/**
 * "Processor P finished phase X for date D": what a processor publishes and the orchestrator
 * records. Pub/Sub may deliver it more than once; {@code messageId} lets the tracker tell.
 *
 * @param phase the phase, e.g. {@code "phase3"}
 * @param date the game date
 * @param processor the processor's name
 * @param messageId unique per run
 * @param rowCount rows the run wrote
 * @param fencingToken the run's lock token
 */
public record CompletionMessage(
    String phase,
    LocalDate date,
    String processor,
    String messageId,
    long rowCount,
    long fencingToken) {}
