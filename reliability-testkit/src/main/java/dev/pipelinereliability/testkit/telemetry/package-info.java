/**
 * Reading the library's OpenTelemetry metrics in tests: {@link
 * dev.pipelinereliability.testkit.telemetry.MetricsCapture} installs an in-memory SDK reader on a
 * private {@code OpenTelemetry} instance to hand to a primitive's {@code openTelemetry(...)}
 * option. Needs {@code io.opentelemetry:opentelemetry-sdk-testing} on the test classpath.
 */
@NullMarked
package dev.pipelinereliability.testkit.telemetry;

import org.jspecify.annotations.NullMarked;
