/**
 * Where the example processors write: the {@link
 * dev.pipelinereliability.examples.warehouse.Warehouse} interface, and {@link
 * dev.pipelinereliability.examples.warehouse.SimulatedWarehouse}, an in-memory stand-in for
 * BigQuery that models the behaviours behind the seed incident (job durations, MERGE failing on a
 * concurrent update of the same partition, DELETE and INSERT as separate jobs).
 */
package dev.pipelinereliability.examples.warehouse;
