/**
 * Support for writing {@link dev.pipelinereliability.lock.DistributedLock} backends.
 *
 * <p>{@link dev.pipelinereliability.lock.spi.AbstractLockHandle} implements the parts of a handle
 * that do not depend on the store (the released and lost states, notifying the listener exactly
 * once, idempotent close, background renewal) so that a backend supplies only its four store
 * operations. Application code does not need this package.
 */
@NullMarked
package dev.pipelinereliability.lock.spi;

import org.jspecify.annotations.NullMarked;
