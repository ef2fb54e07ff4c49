/**
 * Test support for duplicate validation: {@link
 * dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator} for unit tests of
 * processors, and {@link dev.pipelinereliability.testkit.validation.DuplicateValidatorContract},
 * the scenarios every {@link dev.pipelinereliability.validation.DuplicateValidator} passes.
 */
@NullMarked
package dev.pipelinereliability.testkit.validation;

import org.jspecify.annotations.NullMarked;
