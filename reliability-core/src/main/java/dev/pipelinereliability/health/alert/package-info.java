/**
 * Alert sinks for health check findings: {@link
 * dev.pipelinereliability.health.alert.LoggingAlertSink} (one SLF4J line per finding, ERROR level
 * for failures), {@link dev.pipelinereliability.health.alert.SlackWebhookAlertSink} (a Slack
 * incoming webhook over {@code java.net.http}, with timeouts and a URL that is never logged), and
 * {@link dev.pipelinereliability.health.alert.SuppressingAlertSink}, which holds back repeats of
 * the same finding within a window.
 *
 * <pre>{@code
 * AlertSink slack = new SuppressingAlertSink(
 *     SlackWebhookAlertSink.fromEnvironment("SLACK_WEBHOOK_URL"), Duration.ofHours(6), clock);
 * HealthCheckRunner runner = HealthCheckRunner.builder()
 *     .addChecks(checks)
 *     .addAlertSink(new LoggingAlertSink())
 *     .addAlertSink(slack)
 *     .build();
 * }</pre>
 *
 * <p>Whatever a sink does, a failed alert never changes a report or its exit code: {@link
 * dev.pipelinereliability.health.HealthCheckRunner} catches and logs it.
 */
@NullMarked
package dev.pipelinereliability.health.alert;

import org.jspecify.annotations.NullMarked;
