/**
 * Health checks a scheduled job can run and a person or a machine can read: named checks that
 * report {@code OK}, {@code WARN}, {@code FAIL}, or {@code ERROR} when they could not run; a report
 * that combines them and maps to the exit codes of a health script (0 ok, 1 issues found, 2 a check
 * could not run); and alert sinks that hear about every finding.
 *
 * <p>The pieces:
 *
 * <ul>
 *   <li>{@link dev.pipelinereliability.health.HealthCheck}: one named check; built-in ones live in
 *       sub-packages ({@code freshness} for late data);
 *   <li>{@link dev.pipelinereliability.health.HealthCheckRunner}: runs the checks, turns a check
 *       that throws into an {@code ERROR} (an unreachable backend is never "ok"), and alerts;
 *   <li>{@link dev.pipelinereliability.health.HealthReport}: the results, the exit code, and two
 *       renderings: a table for a terminal and JSON for a machine;
 *   <li>{@link dev.pipelinereliability.health.AlertSink}: where findings go; the logging and Slack
 *       sinks and the repeat suppressor live in {@code alert}.
 * </ul>
 *
 * <pre>{@code
 * HealthReport report = HealthCheckRunner.builder()
 *     .addCheck(new FreshnessCheck(oddsApi, arrivals, yesterday, clock))
 *     .addAlertSink(new LoggingAlertSink())
 *     .build()
 *     .run();
 * System.out.print(report.toTable());
 * System.exit(report.exitCode());
 * }</pre>
 */
@NullMarked
package dev.pipelinereliability.health;

import org.jspecify.annotations.NullMarked;
