package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The template every example processor extends. A processor author writes two things, both at the
 * top of this class: a constructor that passes the table and its business key to {@link
 * Phase3Processor}, {@link Phase4Processor} or {@link GradingProcessor}, and {@link
 * #compute(LocalDate)}, the date's rows, read through {@link #services()} and marked with {@link
 * #stamped(LocalDate, Map)}. {@link PlayerGameSummaryProcessor} is a whole one.
 *
 * <p>{@link #run(LocalDate)}, below them, is the whole integration with pipeline-reliability, in
 * one try-with-resources:
 *
 * <ol>
 *   <li>take the lock for (phase, table, date): skip when another instance holds it (Phase 3, Phase
 *       4) or wait for it (grading);
 *   <li>compute the rows and dedup them by the business key, keeping the latest by {@code
 *       processed_at};
 *   <li>replace the date's partition through the library's {@code PartitionWriter} with the lock's
 *       {@code Fence}: one atomic commit that the store refuses if a later holder already wrote;
 *   <li>validate that the written partition has no duplicate keys;
 *   <li>announce completion with the lock's fencing token;
 *   <li>release the lock on every path.
 * </ol>
 *
 * <p>Thread-safe if {@link #compute(LocalDate)} is; one instance may run several dates at once.
 */
public abstract class LockedProcessor implements Processor {
  // What a processor author writes or calls: compute, services(), stamped().

  /**
   * Computes the rows of {@code date} from the data available now; {@link #run(LocalDate)} dedups
   * them, so a row delivered twice may appear twice.
   *
   * @param date the game date
   * @return the date's rows, each {@linkplain #stamped(LocalDate, Map) stamped}
   */
  @Override
  public abstract List<Map<String, Object>> compute(LocalDate date);

  /**
   * The services this processor was built with, for {@link #compute}.
   *
   * @return the services
   */
  protected final PipelineServices services() {
    return services;
  }

  /**
   * Stamps {@code row} with the date and the time it was processed.
   *
   * @param date the game date, stored as {@code game_date}
   * @param row the computed row; not modified
   * @return a copy of {@code row} with {@code game_date} and {@code processed_at}
   */
  protected final Map<String, Object> stamped(LocalDate date, Map<String, Object> row) {
    var copy = new LinkedHashMap<>(row);
    copy.put("game_date", date);
    copy.put("processed_at", services.clock().instant());
    return copy;
  }

  // The mechanics: lock, dedup, fenced write, validation, completion.

  /** What a run does when another instance holds the date. */
  public enum WhenHeld {
    /** Skip and report success: the holder is doing this work (Phase 3, Phase 4). */
    SKIP,
    /**
     * Wait up to the options' maximum wait, then fail with {@code LockTimeoutException} (grading).
     */
    WAIT
  }

  private final PipelineServices services;
  private final String phase;
  private final WhenHeld whenHeld;
  private final LockOptions lockOptions;
  private final String table;
  private final List<String> keyFields;
  private final Deduplicator<Map<String, Object>> dedup;

  /**
   * Creates the processor.
   *
   * @param services the shared services
   * @param phase the phase it completes, e.g. {@code "phase3"}; also the lock type
   * @param whenHeld skip or wait when another instance holds the date
   * @param lockOptions lease and maximum wait
   * @param table the table it writes; also its name
   * @param keyFields the table's business key
   */
  protected LockedProcessor(
      PipelineServices services,
      String phase,
      WhenHeld whenHeld,
      LockOptions lockOptions,
      String table,
      String... keyFields) {
    this.services = requireNonNull(services, "services");
    this.phase = requireNonNull(phase, "phase");
    this.whenHeld = requireNonNull(whenHeld, "whenHeld");
    this.lockOptions = requireNonNull(lockOptions, "lockOptions");
    this.table = requireNonNull(table, "table");
    this.keyFields = List.of(keyFields);
    this.dedup = Deduplicator.forRows(this.keyFields).keepLatestBy("processed_at").build();
  }

  /**
   * Runs the processor for {@code date}.
   *
   * @param date the game date whose partition it replaces
   * @return what the run did
   * @throws dev.pipelinereliability.lock.LockLostException if the lease ran out before the commit;
   *     nothing was written
   * @throws dev.pipelinereliability.write.StaleFenceException if another instance took the lock
   *     over and wrote the date while this run stalled; nothing of this run was written
   * @throws dev.pipelinereliability.write.PartialDataException if the rows would shrink the date's
   *     partition below the writer's guard; nothing was written
   * @throws dev.pipelinereliability.validation.DuplicatesFoundException if the written partition
   *     holds duplicate keys (another writer bypassed the lock)
   */
  public final RunResult run(LocalDate date) {
    LockKey key = LockKey.of(phase, table + "/" + date);
    Optional<LockHandle> acquired =
        whenHeld == WhenHeld.SKIP
            ? services.locks().tryAcquire(key, lockOptions)
            : Optional.of(services.locks().acquire(key, lockOptions));
    if (acquired.isEmpty()) {
      return RunResult.skipped(name(), date);
    }
    try (LockHandle lock = acquired.get()) {
      DedupResult<Map<String, Object>> rows = dedup.apply(compute(date));
      // One atomic commit that the store refuses (StaleFenceException) if a later holder of this
      // lock already wrote the date, or (PartialDataException) if it would shrink the partition
      // below the default guard; Fence.of(lock) also checks the lease first, as an early exit.
      services
          .writer()
          .replacePartition(
              table, new PartitionFilter("game_date", date), rows.rows(), Fence.of(lock));
      services
          .validator()
          .validate(DuplicateCheck.of(table, keyFields).inPartition("game_date", date))
          .requireClean();
      services
          .completions()
          .publish(
              new CompletionMessage(
                  phase,
                  date,
                  name(),
                  UUID.randomUUID().toString(),
                  rows.rows().size(),
                  lock.fencingToken()));
      return new RunResult(
          name(),
          date,
          RunResult.Status.WROTE,
          rows.rows().size(),
          rows.removedCount(),
          lock.fencingToken());
    }
  }

  @Override
  public final String name() {
    return table;
  }

  @Override
  public final String table() {
    return table;
  }

  @Override
  public final List<String> keyFields() {
    return keyFields;
  }

  /**
   * The phase this processor completes; also its lock type.
   *
   * @return the phase, e.g. {@code phase3}
   */
  public final String phase() {
    return phase;
  }
}
