/**
 * The in-memory {@link dev.pipelinereliability.lock.DistributedLock} and the {@link
 * dev.pipelinereliability.testkit.lock.DistributedLockContract} that every lock backend passes.
 */
package dev.pipelinereliability.testkit.lock;
