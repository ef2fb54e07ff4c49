/**
 * A health check for stuck locks: {@link dev.pipelinereliability.health.locks.LockHoldCheck} lists
 * the held locks of one type through {@link dev.pipelinereliability.lock.LockAdmin} and fails when
 * one has been held longer than expected, naming its owner.
 *
 * <pre>{@code
 * List<LockHoldCheck> checks = LockHoldCheck.forTypes(firestoreLock, Map.of(
 *     "phase3", Duration.ofMinutes(30),
 *     "grading", Duration.ofMinutes(20)), clock);
 * }</pre>
 */
@NullMarked
package dev.pipelinereliability.health.locks;

import org.jspecify.annotations.NullMarked;
