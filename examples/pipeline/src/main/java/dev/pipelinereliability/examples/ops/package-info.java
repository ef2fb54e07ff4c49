/**
 * The operations command line, built only on the library's API: {@code reconcile}, {@code locks
 * list}, {@code locks release} and {@code health}. See {@link
 * dev.pipelinereliability.examples.ops.OpsCli}.
 */
package dev.pipelinereliability.examples.ops;
