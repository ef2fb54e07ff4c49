/**
 * Reconciliation of completion tracking: {@link
 * dev.pipelinereliability.completion.reconcile.Reconciler} compares tracker state over a range of
 * dates and phases with {@link dev.pipelinereliability.completion.CompletionEvidence}, reports
 * {@link dev.pipelinereliability.completion.reconcile.Finding}s, and in fix mode repairs them with
 * compare-and-set writes audited as {@code reconcile}. Reports render as JSON and as a table.
 */
@NullMarked
package dev.pipelinereliability.completion.reconcile;

import org.jspecify.annotations.NullMarked;
