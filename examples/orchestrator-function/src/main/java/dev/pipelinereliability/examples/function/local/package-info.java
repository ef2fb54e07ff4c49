/**
 * Runs a function on this machine as Cloud Functions would: {@link
 * dev.pipelinereliability.examples.function.local.LocalFunction} serves it with the Functions
 * Framework invoker in a JVM of its own, and {@link
 * dev.pipelinereliability.examples.function.local.EventarcPubSub} builds the request Eventarc sends
 * it for a Pub/Sub message.
 */
@NullMarked
package dev.pipelinereliability.examples.function.local;

import org.jspecify.annotations.NullMarked;
