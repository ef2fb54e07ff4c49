/**
 * The example warehouse: {@link dev.pipelinereliability.examples.warehouse.SimulatedWarehouse}, an
 * in-memory stand-in for BigQuery that models the behaviours behind the incident (job durations,
 * MERGE failing on a concurrent update of the same partition, DELETE and INSERT as separate jobs)
 * and, for the library's path, implements the core {@code PartitionWriter} with the same fence and
 * partial-data guard as {@code BigQueryWriter}; {@link
 * dev.pipelinereliability.examples.warehouse.TableReader}, how processors read upstream rows.
 */
@NullMarked
package dev.pipelinereliability.examples.warehouse;

import org.jspecify.annotations.NullMarked;
