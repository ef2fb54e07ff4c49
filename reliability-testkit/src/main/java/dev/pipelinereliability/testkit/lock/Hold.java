package dev.pipelinereliability.testkit.lock;

/**
 * One period during which a handle held a lock, as recorded by a stress test.
 *
 * @param token the handle's fencing token
 * @param startNanos {@link System#nanoTime()} right after the acquisition returned
 * @param endNanos {@link System#nanoTime()} right before the release began
 */
public record Hold(long token, long startNanos, long endNanos) {}
