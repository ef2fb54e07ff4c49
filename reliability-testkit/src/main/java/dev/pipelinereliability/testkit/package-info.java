/**
 * Test support for code that uses pipeline-reliability: a {@link
 * dev.pipelinereliability.testkit.FakeClock} that tests advance, in-memory fakes of the core
 * interfaces, and contract test classes that every backend (and every fake) passes.
 *
 * <p>The fakes behave like the real backends in everything the contracts pin; a difference is a bug
 * in the fake. Use them to unit-test processors without a Firestore emulator or BigQuery.
 */
@NullMarked
package dev.pipelinereliability.testkit;

import org.jspecify.annotations.NullMarked;
