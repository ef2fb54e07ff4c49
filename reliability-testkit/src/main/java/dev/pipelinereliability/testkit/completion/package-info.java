/**
 * Test support for completion tracking: {@link
 * dev.pipelinereliability.testkit.completion.InMemoryCompletionTracker}, a {@link
 * dev.pipelinereliability.testkit.completion.RecordingTriggerPublisher} that can fail on demand,
 * {@link dev.pipelinereliability.testkit.completion.InMemoryCompletionEvidence}, and {@link
 * dev.pipelinereliability.testkit.completion.CompletionTrackerContract}, the scenarios every
 * tracker backend must pass.
 */
@NullMarked
package dev.pipelinereliability.testkit.completion;

import org.jspecify.annotations.NullMarked;
