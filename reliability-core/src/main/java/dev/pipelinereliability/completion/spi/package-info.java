/**
 * For backend authors: {@link dev.pipelinereliability.completion.spi.AbstractCompletionTracker}
 * implements the whole {@link dev.pipelinereliability.completion.CompletionTracker} behaviour over
 * three store operations (read, blind merge of one completion, compare-and-set of a {@link
 * dev.pipelinereliability.completion.spi.StateChange}). A store that offers a document version and
 * a conditional write on it is enough; no read-write transactions are needed.
 */
package dev.pipelinereliability.completion.spi;
