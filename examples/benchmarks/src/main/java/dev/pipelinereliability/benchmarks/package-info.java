/**
 * Benchmarks of pipeline-reliability. Each suite measures a baseline in the same run and prints
 * every figure as a line {@code RESULT <name> <value> <unit>}, so that results can be collected and
 * compared as ratios rather than as absolute times that depend on the machine.
 *
 * <p>Run with {@code mvn -B -ntp -q -pl examples/benchmarks -am -DskipTests package exec:exec
 * -Dbench=all}; name one or more suites (comma-separated) instead of {@code all}.
 */
@NullMarked
package dev.pipelinereliability.benchmarks;

import org.jspecify.annotations.NullMarked;
