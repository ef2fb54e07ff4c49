/**
 * Reliability primitives for phased batch pipelines on Google Cloud.
 *
 * <p>The root package holds {@link dev.pipelinereliability.ReliabilityException}, the one unchecked
 * exception every failure of this library extends. The primitives live in sub-packages, one concept
 * each: {@code lock} for distributed locks with fencing tokens, {@code completion} for completion
 * tracking with an exactly-once downstream trigger. Backends (Firestore, BigQuery) and in-memory
 * fakes live in their own modules and implement the interfaces declared here.
 *
 * <p>Unless a type says otherwise, arguments must not be null; a null argument fails with {@link
 * NullPointerException} naming the parameter.
 */
@NullMarked
package dev.pipelinereliability;

import org.jspecify.annotations.NullMarked;
