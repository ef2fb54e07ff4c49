/**
 * The Phase 3 -> Phase 4 orchestrator on Pub/Sub.
 *
 * <p>{@link dev.pipelinereliability.examples.orchestrator.PhaseOrchestrator} is the logic, free of
 * Pub/Sub: every delivery of a completion message is recorded in a {@link
 * dev.pipelinereliability.completion.CompletionTracker}, which derives the count from state and
 * lets exactly one caller claim the downstream trigger, however many duplicate or concurrent
 * deliveries arrive. {@link dev.pipelinereliability.examples.orchestrator.PubSubOrchestrator} feeds
 * it from a subscription and acknowledges a message only once it is recorded, so a failure means
 * redelivery, never a lost completion. {@link
 * dev.pipelinereliability.examples.orchestrator.PubSubTriggerPublisher} publishes the trigger with
 * a stable {@code trigger_id} attribute so that downstream can drop a re-published one.
 */
@NullMarked
package dev.pipelinereliability.examples.orchestrator;

import org.jspecify.annotations.NullMarked;
