/**
 * The orchestrator as a Cloud Function (2nd gen) on the Java Functions Framework: {@link
 * dev.pipelinereliability.examples.function.OrchestratorFunction} records each Pub/Sub delivery of
 * a completion message and fires the next phase's trigger once; {@link
 * dev.pipelinereliability.examples.function.ParseOnlyFunction} is the floor its cold start is
 * measured against; {@link dev.pipelinereliability.examples.function.local.LocalFunction} serves
 * either one with the Functions Framework invoker on this machine.
 */
@NullMarked
package dev.pipelinereliability.examples.function;

import org.jspecify.annotations.NullMarked;
