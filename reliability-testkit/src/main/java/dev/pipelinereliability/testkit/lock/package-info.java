/**
 * The in-memory {@link dev.pipelinereliability.lock.DistributedLock} and the {@link
 * dev.pipelinereliability.testkit.lock.DistributedLockContract} that every lock backend passes.
 */
@NullMarked
package dev.pipelinereliability.testkit.lock;

import org.jspecify.annotations.NullMarked;
