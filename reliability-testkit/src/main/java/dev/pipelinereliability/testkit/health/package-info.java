/**
 * Test support for health checks: {@link
 * dev.pipelinereliability.testkit.health.InMemoryArrivalSource} (record when data arrived, simulate
 * an outage), {@link dev.pipelinereliability.testkit.health.RecordingAlertSink} (remember what was
 * alerted), and {@link dev.pipelinereliability.testkit.health.ArrivalSourceContract}, the behaviour
 * every arrival source passes.
 */
@NullMarked
package dev.pipelinereliability.testkit.health;

import org.jspecify.annotations.NullMarked;
