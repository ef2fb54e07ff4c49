/**
 * The Firestore completion tracker: {@link
 * dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker}, one document per
 * (phase, date) in the legacy orchestrator's layout, written only with {@code updatedAt}
 * compare-and-set (or {@code create()}), never with read-write transactions: a first completion is
 * one read and one write, a duplicate one read.
 */
@NullMarked
package dev.pipelinereliability.firestore.completion;

import org.jspecify.annotations.NullMarked;
