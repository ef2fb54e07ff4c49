/**
 * The Firestore completion tracker: {@link
 * dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker}, one document per
 * (phase, date) in the seed orchestrator's layout, written with idempotent merges and {@code
 * updatedAt} compare-and-set, never with read-write transactions.
 */
package dev.pipelinereliability.firestore.completion;
