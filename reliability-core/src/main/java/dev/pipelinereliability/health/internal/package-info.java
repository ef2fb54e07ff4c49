/**
 * Implementation details of the health package: text helpers (JSON escaping lives in {@code
 * dev.pipelinereliability.internal}, shared with the completion reconciler). Not part of the API;
 * anything here may change without notice.
 */
@NullMarked
package dev.pipelinereliability.health.internal;

import org.jspecify.annotations.NullMarked;
