/**
 * Simulated time for the replay: {@link dev.pipelinereliability.examples.time.CompressedTime} runs
 * faster than real time while real threads race. The lowest layer of the example: it depends on no
 * other example package.
 */
@NullMarked
package dev.pipelinereliability.examples.time;

import org.jspecify.annotations.NullMarked;
