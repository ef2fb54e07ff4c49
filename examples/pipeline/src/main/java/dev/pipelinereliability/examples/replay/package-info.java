/**
 * The incident, replayed twice on the same timeline: first the naive pipeline (no lock, MERGE with
 * a DELETE-then-INSERT fallback, a stored counter incremented in a transaction), then the same
 * processors on pipeline-reliability. {@link
 * dev.pipelinereliability.examples.replay.IncidentReplay} prints the two side by side.
 *
 * <p>Time is compressed ({@link dev.pipelinereliability.examples.time.CompressedTime}) but the
 * races are real: processors and orchestrator deliveries run on real threads, and every figure in
 * the table is counted from the state each run leaves behind.
 */
@NullMarked
package dev.pipelinereliability.examples.replay;

import org.jspecify.annotations.NullMarked;
