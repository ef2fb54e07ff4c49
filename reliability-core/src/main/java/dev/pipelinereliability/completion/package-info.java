/**
 * Completion tracking: which processors of a phase finished a date, and an exactly-once trigger of
 * the next phase.
 *
 * <p>A {@link dev.pipelinereliability.completion.CompletionTracker} records completions against a
 * {@link dev.pipelinereliability.completion.CompletionKey} (phase and date). Recording is
 * idempotent, counts are derived from the recorded completions (never incremented), and when the
 * last expected processor completes exactly one caller wins the trigger claim, publishes it through
 * the caller's {@link dev.pipelinereliability.completion.TriggerPublisher} and confirms it. Claims
 * that were never confirmed are published again, with the same id, by {@link
 * dev.pipelinereliability.completion.CompletionTracker#settle} (the reconciler calls it).
 *
 * <p>Which processors each phase expects, and an optional {@link
 * dev.pipelinereliability.completion.DeadlinePolicy}, come from {@link
 * dev.pipelinereliability.completion.CompletionConfig}. Overrides (mark complete, force and reset a
 * trigger) carry an {@link dev.pipelinereliability.completion.Audit} and leave {@link
 * dev.pipelinereliability.completion.AuditEntry}s.
 *
 * <p>{@link dev.pipelinereliability.completion.CompletionEvidence} says what data actually landed;
 * the reconciler in {@code completion.reconcile} compares the two.
 *
 * <p>Backends: {@code dev.pipelinereliability.firestore.completion} (Firestore, compatible with the
 * legacy orchestrator's documents) and the in-memory tracker in the testkit.
 */
@NullMarked
package dev.pipelinereliability.completion;

import org.jspecify.annotations.NullMarked;
