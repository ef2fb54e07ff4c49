package dev.pipelinereliability.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.retry.Retrier;
import dev.pipelinereliability.retry.RetryPolicy;
import dev.pipelinereliability.retry.Sleeper;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.telemetry.WriteMetrics;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.write.Fence;
import dev.pipelinereliability.write.PartialDataGuard;
import dev.pipelinereliability.write.PartitionWriter;
import dev.pipelinereliability.write.WriteArguments;
import dev.pipelinereliability.write.WriteResult;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The BigQuery {@link PartitionWriter}: partition replace, deduplicating upsert and duplicate
 * cleanup, each committed by one statement (or one transaction script) so readers see the old data
 * or the new, never a mix. With a {@link Fence}, BigQuery itself refuses the commit of a holder
 * whose token is lower than the last one committed for that table and partition ({@link
 * dev.pipelinereliability.write.StaleFenceException}), in the same transaction as the data change;
 * the {@link PartialDataGuard} refuses a replace that would shrink a partition too far ({@link
 * dev.pipelinereliability.write.PartialDataException}). The fence table ({@code <table>__fence}) is
 * created on first use; the commit script, its cost and the fence table's DDL are in the module
 * README.
 *
 * <p>A commit that meets BigQuery's concurrent-update error is retried under the {@link
 * RetryPolicy} ({@link #DEFAULT_RETRY_POLICY} unless set), checking the fence again each time;
 * refusals are never retried, and every other error surfaces as {@link BigQueryWriteException}.
 * Identifiers are validated before any request; values reach BigQuery only as load data or bound
 * parameters.
 *
 * <p>Uses the caller's {@link BigQuery} client and never closes it. Thread-safe: concurrent writes
 * use separate staging tables.
 */
public final class BigQueryWriter implements PartitionWriter {
  /** Appended to a table's name to name its fence table. */
  public static final String FENCE_TABLE_SUFFIX = "__fence";

  /**
   * The writer's retry of a concurrent update unless {@link Builder#retryPolicy} sets another: 5
   * attempts, full jitter with caps of 1 s, 2 s, 4 s and 8 s, no deadline.
   */
  public static final RetryPolicy DEFAULT_RETRY_POLICY =
      RetryPolicy.builder()
          .maxAttempts(5)
          .initialBackoff(Duration.ofSeconds(1))
          .maxBackoff(Duration.ofSeconds(30))
          .noDeadline()
          .jitter(RetryPolicy.Jitter.FULL)
          .build();

  private final PartialDataGuard defaultGuard;
  private final PartitionReplace replace;
  private final Upsert upsert;
  private final DuplicateCleanup cleanup;
  private final WriteMetrics metrics;

  private BigQueryWriter(Builder b) {
    WriteSupport support =
        new WriteSupport(
            b.bigquery,
            b.clock,
            Retrier.builder(b.retryPolicy)
                .clock(b.clock)
                .sleeper(b.sleeper)
                .random(b.random)
                .build(),
            b.random,
            b.stagingExpiration);
    // Read once: the upsert's deduplication and the cleanup's duplicate check report where the
    // writer reports, not to whatever the global instance is when they run.
    OpenTelemetry openTelemetry =
        b.openTelemetry == null ? GlobalOpenTelemetry.get() : b.openTelemetry;
    this.defaultGuard = b.partialDataGuard;
    this.replace = new PartitionReplace(support);
    this.upsert = new Upsert(support, openTelemetry);
    this.cleanup = new DuplicateCleanup(support, openTelemetry);
    this.metrics = ReliabilityTelemetry.of(openTelemetry).writes();
  }

  /**
   * A writer with default retry, the default partial-data guard, real sleeps and the system clock.
   *
   * @param bigquery the caller's client; not closed
   * @return the writer
   * @throws NullPointerException if {@code bigquery} is null
   */
  public static BigQueryWriter create(BigQuery bigquery) {
    return builder(bigquery).build();
  }

  /**
   * Starts a builder.
   *
   * @param bigquery the caller's client; not closed
   * @return the builder
   * @throws NullPointerException if {@code bigquery} is null
   */
  public static Builder builder(BigQuery bigquery) {
    return new Builder(requireNonNull(bigquery, "bigquery"));
  }

  /**
   * The fence table of {@code table}: {@code <table>__fence} in the same dataset.
   *
   * @param table the table id
   * @return the fence table's id, for example {@code ds.grading__fence}
   * @throws IllegalArgumentException if {@code table} is invalid
   */
  public static String fenceTableOf(String table) {
    return WriteSupport.fenceTableOf(TableRef.parse(table)).toString();
  }

  /**
   * The DDL that creates {@code table}'s fence table, for a one-time setup by hand (the writer
   * otherwise creates the table through the API on its first fenced write).
   *
   * @param table the table id
   * @return a {@code CREATE TABLE IF NOT EXISTS} statement
   * @throws IllegalArgumentException if {@code table} is invalid
   */
  public static String fenceTableDdl(String table) {
    return Sql.fenceTableDdl(WriteSupport.fenceTableOf(TableRef.parse(table)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Requests: tables.get (schema), tables.insert (staging), the staging load (upload and job),
   * one jobs.query with the commit, one jobs.list (or jobs.get) for the DML statistics, and
   * tables.delete (staging); on the first fenced write per table and writer, one tables.insert for
   * the fence table.
   */
  @Override
  public WriteResult replacePartition(
      String table, PartitionFilter partition, List<? extends Map<String, ?>> rows, Fence fence) {
    return replacePartition(table, partition, rows, fence, defaultGuard);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With neither a fence nor a guard the commit is the bare MERGE; otherwise the MERGE inside
   * the commit script, which counts the partition (for the guard) and reads the fence in the same
   * transaction, so neither costs an extra job.
   */
  @Override
  public WriteResult replacePartition(
      String table,
      PartitionFilter partition,
      List<? extends Map<String, ?>> rows,
      Fence fence,
      PartialDataGuard guard) {
    return record(table, sends -> replace.replace(table, partition, rows, fence, guard, sends));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Keys match with {@code IS NOT DISTINCT FROM}, so NULL keys match as they group; with a
   * version column an incoming row never overwrites a target row with a greater version.
   */
  @Override
  public WriteResult upsert(
      String table,
      List<String> keyColumns,
      Optional<String> versionColumn,
      Optional<PartitionFilter> partition,
      List<? extends Map<String, ?>> rows,
      Fence fence) {
    return record(
        table,
        sends -> upsert.upsert(table, keyColumns, versionColumn, partition, rows, fence, sends));
  }

  /**
   * Records one write call. A committed write's retries are counted from its result; a write that
   * ends in an exception (a refusal, a failure, a conflict on every attempt) after sending its
   * commit again counts those sends here, since no result carries them: each retry once, whatever
   * ended the write.
   */
  private WriteResult record(String table, Function<WriteSupport.Sends, WriteResult> write) {
    // A table id the writer refuses must not become an attribute value: it could be anything.
    TableRef.parse(WriteArguments.requireTable(table));
    WriteSupport.Sends sends = new WriteSupport.Sends();
    return metrics.recordWrite(
        table,
        () -> {
          try {
            return write.apply(sends);
          } catch (RuntimeException e) {
            metrics.retried(table, sends.retries());
            throw e;
          }
        });
  }

  /**
   * Reports what {@link #cleanup} would remove, changing nothing: a duplicate check of the table or
   * partition and the statement that would run.
   *
   * @param check the table, key columns, partition and sample limit
   * @param keep which row per key survives
   * @return the plan
   * @throws IllegalArgumentException if an identifier is invalid
   * @throws dev.pipelinereliability.validation.ValidationException if the check fails
   */
  public CleanupPlan planCleanup(DuplicateCheck check, Keep keep) {
    return cleanup.plan(check, keep);
  }

  /**
   * Removes duplicates found by {@code plan}: optionally backs the table up (a snapshot or copy
   * named {@code <table>_backup_<yyyyMMdd_HHmmss>}), then runs one MERGE that rewrites the
   * partition from itself keeping one row per key, fenced like {@link #replacePartition} (the fence
   * row of the plan's partition, or of the whole table). Keys are grouped exactly as the duplicate
   * check groups them ({@code GROUP BY}: NULLs together, NaNs together, {@code 0.0} with {@code
   * -0.0}), for keys of any groupable type including FLOAT64. Does nothing if the plan found no
   * duplicates.
   *
   * @param plan from {@link #planCleanup}
   * @param backup whether and how to back up first
   * @param fence the caller's lock fence, or {@link Fence#unfenced()}
   * @return the commit's DML statistics (rows removed = deleted minus inserted), job ids, attempts
   * @throws NullPointerException if {@code fence} is null
   * @throws CleanupFailedException if anything fails after the backup was taken (the statement, its
   *     retries, a stale fence, or the lock check): the message and {@link
   *     CleanupFailedException#backup()} name the backup, which is kept; the original failure (for
   *     example {@link dev.pipelinereliability.write.StaleFenceException}) is the cause; the table
   *     is unchanged
   * @throws dev.pipelinereliability.write.StaleFenceException if a later token was committed for
   *     the partition and no backup was taken
   * @throws ConcurrentUpdateException if every attempt met a concurrent update (no backup taken)
   * @throws BigQueryWriteException if the backup or the statement fails; the table is unchanged
   */
  public WriteResult cleanup(CleanupPlan plan, Backup backup, Fence fence) {
    return cleanup.cleanup(plan, backup, fence);
  }

  /**
   * The SQL text {@link #cleanup} sends for {@code check} and {@code keep}, unfenced; a fenced
   * cleanup sends it inside the commit script.
   *
   * @param check the table, keys and partition
   * @param keep which row survives
   * @return the statement; the partition value appears only as {@code @partition_value}
   * @throws IllegalArgumentException if an identifier is invalid
   */
  public static String cleanupSql(DuplicateCheck check, Keep keep) {
    return DuplicateCleanup.sql(check, keep);
  }

  /** Configures a {@link BigQueryWriter}. Not thread-safe. */
  public static final class Builder {
    private final BigQuery bigquery;
    private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
    private Sleeper sleeper = Sleeper.system();
    // java.util.Random is thread-safe (atomic internal state), which a shared writer needs;
    // RandomGenerator.getDefault() is not. Jitter and staging suffixes need no unpredictability,
    // so SecureRandom's cost (and possible blocking on entropy) buys nothing here.
    private RandomGenerator random = new Random();
    private Clock clock = Clock.systemUTC();
    private Duration stagingExpiration = Duration.ofHours(6);
    private PartialDataGuard partialDataGuard = PartialDataGuard.ofDefaults();
    private @Nullable OpenTelemetry openTelemetry;

    private Builder(BigQuery bigquery) {
      this.bigquery = bigquery;
    }

    /**
     * Sets the concurrent-update retry; {@link #DEFAULT_RETRY_POLICY} by default.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how retries wait; {@link Sleeper#system()} by default. Tests pass the testkit's {@code
     * FakeClock}, which advances instead of sleeping.
     *
     * @param sleeper the sleeper
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the source of retry jitter and staging-table suffixes; a new {@link Random}
     * (thread-safe) by default.
     *
     * @param random the generator; must be thread-safe if the writer is shared
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets the clock for staging expiration, backup names and the retry policy's deadline.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets when an orphaned staging table (its writer died) expires; 6 hours by default.
     *
     * @param expiration positive
     * @return this builder
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if not positive
     */
    public Builder stagingExpiration(Duration expiration) {
      requireNonNull(expiration, "expiration");
      if (expiration.isNegative() || expiration.isZero()) {
        throw new IllegalArgumentException("stagingExpiration must be positive, got " + expiration);
      }
      this.stagingExpiration = expiration;
      return this;
    }

    /**
     * Sets the partial-data guard of every {@code replacePartition} call that does not pass its
     * own; {@link PartialDataGuard#ofDefaults()} by default.
     *
     * @param guard the guard
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder partialDataGuard(PartialDataGuard guard) {
      this.partialDataGuard = requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Sets where the writer reports its metrics: write calls, rows written, retries after a
     * concurrent update and refused writes, by table; the rows in and removed by the deduplication
     * of each upsert's input; the duplicate check of {@link BigQueryWriter#planCleanup}. See the
     * root README's Telemetry section. Default: {@link GlobalOpenTelemetry#get()}, read once by
     * {@link #build()}.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return this builder
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Builds the writer.
     *
     * @return the writer
     */
    public BigQueryWriter build() {
      return new BigQueryWriter(this);
    }
  }
}
