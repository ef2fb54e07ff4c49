/**
 * The pipeline file: the example pipeline's phases, lock types, tables and watched sources,
 * described once in YAML and validated on load. See {@link
 * dev.pipelinereliability.examples.config.PipelineFile}.
 */
@NullMarked
package dev.pipelinereliability.examples.config;

import org.jspecify.annotations.NullMarked;
