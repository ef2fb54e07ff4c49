/**
 * A health check for completion tracking: {@link
 * dev.pipelinereliability.health.completion.CompletionAccuracyCheck} runs the completion {@link
 * dev.pipelinereliability.completion.reconcile.Reconciler} in report mode over recent dates and
 * fails on a drifted stored count, a key complete but not triggered, or a trigger claimed but not
 * published.
 *
 * <pre>{@code
 * HealthCheck completion = CompletionAccuracyCheck.lastDays(reconciler, clock, 3, "phase3", "phase4");
 * }</pre>
 */
@NullMarked
package dev.pipelinereliability.health.completion;

import org.jspecify.annotations.NullMarked;
