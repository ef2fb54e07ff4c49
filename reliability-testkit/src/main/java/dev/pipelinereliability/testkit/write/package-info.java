/**
 * Test support for {@link dev.pipelinereliability.write.PartitionWriter}: {@link
 * dev.pipelinereliability.testkit.write.InMemoryPartitionWriter}, a fake that enforces the same
 * fence and partial-data guard as the BigQuery writer, and {@link
 * dev.pipelinereliability.testkit.write.PartitionWriterContract}, the scenarios every writer (the
 * fake, the BigQuery writer, yours) must pass.
 */
@NullMarked
package dev.pipelinereliability.testkit.write;

import org.jspecify.annotations.NullMarked;
