/**
 * OpenTelemetry metrics of every primitive: lock waits, holds and lost leases, completion
 * deliveries and triggers, dedup and validation counts, writes and their refusals, health check
 * results.
 *
 * <p>{@link dev.pipelinereliability.telemetry.ReliabilityTelemetry} creates the instruments once
 * per {@link io.opentelemetry.api.OpenTelemetry} instance; each primitive takes one through its
 * builder's {@code openTelemetry(OpenTelemetry)} option (the testkit's fakes: a constructor
 * argument) and defaults to {@link io.opentelemetry.api.GlobalOpenTelemetry#get()}, read once when
 * the primitive is built. Without an installed SDK every instrument is a no-op. Instrument names
 * start with {@value dev.pipelinereliability.telemetry.ReliabilityTelemetry#PREFIX}; the root
 * README lists them. Attributes take values of bounded cardinality only (a lock type, a phase, a
 * table, an outcome), never a date, a key or an owner id.
 */
@NullMarked
package dev.pipelinereliability.telemetry;

import org.jspecify.annotations.NullMarked;
