/**
 * The example pipeline's on-call command line, {@link
 * dev.pipelinereliability.examples.oncall.OnCall}: picocli commands over the library's API against
 * the stores named by the pipeline file ({@link dev.pipelinereliability.examples.config}).
 */
@NullMarked
package dev.pipelinereliability.examples.oncall;

import org.jspecify.annotations.NullMarked;
