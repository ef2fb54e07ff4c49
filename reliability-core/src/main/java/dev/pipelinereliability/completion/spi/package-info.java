/**
 * For backend authors: {@link dev.pipelinereliability.completion.spi.StoreBackedCompletionTracker}
 * implements the whole {@link dev.pipelinereliability.completion.CompletionTracker} behaviour over
 * a {@link dev.pipelinereliability.completion.spi.CompletionStore} of two operations: read a key's
 * state with its version, and write a {@link dev.pipelinereliability.completion.spi.StateChange} if
 * the version is unchanged. A store that offers a document version and a conditional write on it is
 * enough; no read-write transactions are needed. A backend's public tracker class can extend {@link
 * dev.pipelinereliability.completion.spi.ForwardingCompletionTracker} to keep a builder of its own.
 */
@NullMarked
package dev.pipelinereliability.completion.spi;

import org.jspecify.annotations.NullMarked;
