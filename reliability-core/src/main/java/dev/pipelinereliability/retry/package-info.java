/**
 * Retrying with bounded, jittered exponential backoff: one {@link
 * dev.pipelinereliability.retry.RetryPolicy} (attempts, backoff, optional deadline, jitter), one
 * loop ({@link dev.pipelinereliability.retry.Retrier}) and one sleep seam ({@link
 * dev.pipelinereliability.retry.Sleeper}) that a test replaces with the testkit's {@code
 * FakeClock}, so waiting advances fake time instead of sleeping.
 */
@NullMarked
package dev.pipelinereliability.retry;

import org.jspecify.annotations.NullMarked;
