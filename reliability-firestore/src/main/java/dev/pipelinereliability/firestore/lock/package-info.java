/**
 * The Firestore backend of {@link dev.pipelinereliability.lock.DistributedLock}: {@link
 * dev.pipelinereliability.firestore.lock.FirestoreDistributedLock}, one document per lock, written
 * with {@code create()} and {@code updatedAt} preconditions (no read-write transactions), leases
 * judged by server time, fencing tokens kept in the document, snapshot-listener wake-ups for
 * waiters, and the {@link dev.pipelinereliability.lock.LockAdmin} operations.
 */
@NullMarked
package dev.pipelinereliability.firestore.lock;

import org.jspecify.annotations.NullMarked;
