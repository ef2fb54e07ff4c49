package dev.pipelinereliability.health.freshness;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Reports when one source's data for a date arrived: the latest load time of the rows for that
 * date, like the {@code MAX(loaded_at)} dbt reads for source freshness. The latest, not the first,
 * because the rows a reader sees now are those of the latest load: a partition replaced at 14:45
 * holds data that arrived at 14:45 even if an earlier, partial load ran at 06:00.
 *
 * <p>Implementations: {@code BigQueryArrivalSource} in reliability-bigquery (reads a load-time
 * column) and the testkit's {@code InMemoryArrivalSource}; both pass the testkit's {@code
 * ArrivalSourceContract}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ArrivalSource {
  /**
   * Returns when the data for {@code date} last arrived, or empty if none has.
   *
   * @param date the date
   * @return when the data for {@code date} last arrived, or empty if none has
   * @throws ArrivalUnavailableException if the backend could not be asked; never answers "empty"
   *     for a backend it could not reach, because that would read as "late" rather than "unknown"
   */
  Optional<Instant> latestArrival(LocalDate date);
}
