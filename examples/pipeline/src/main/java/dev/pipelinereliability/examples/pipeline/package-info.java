/**
 * Processor templates and example processors.
 *
 * <p>{@link dev.pipelinereliability.examples.pipeline.LockedProcessor} is the whole integration:
 * its {@code run(date)} holds the lock in one try-with-resources, dedups before writing, checks the
 * lock right before the committing write, validates after it, and reports completion with the
 * fencing token. {@link dev.pipelinereliability.examples.pipeline.Phase3Processor} and {@link
 * dev.pipelinereliability.examples.pipeline.Phase4Processor} skip when another instance holds the
 * date; {@link dev.pipelinereliability.examples.pipeline.GradingProcessor} waits for it. A concrete
 * processor only says which table it writes, by which key, and how it computes its rows: see {@link
 * dev.pipelinereliability.examples.pipeline.PlayerGameSummaryProcessor}.
 */
@NullMarked
package dev.pipelinereliability.examples.pipeline;

import org.jspecify.annotations.NullMarked;
