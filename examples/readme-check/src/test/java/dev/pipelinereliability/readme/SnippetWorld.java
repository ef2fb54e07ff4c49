package dev.pipelinereliability.readme;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.bigquery.BigQueryDuplicateValidator;
import dev.pipelinereliability.bigquery.BigQueryWriter;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionEvidence;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.examples.pipeline.PipelineServices;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.PartitionFilter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a README snippet may use without declaring it: the things its prose says the reader already
 * has (a Firestore client, the game date, the lock it holds, the rows it computed, ...). Every
 * snippet is compiled as a subclass of this class, so a name it uses must be declared here, in the
 * snippet, or in a {@code <!-- java-context: ... -->} comment right above its block.
 *
 * <p>Nothing here runs: the snippets are compiled, not executed.
 */
// Never instantiated: the fields only give the snippets names to compile against.
@SuppressWarnings({"unused", "NullAway.Init"})
public abstract class SnippetWorld {
  protected Firestore firestore;
  protected BigQuery bigquery;
  protected Clock clock;
  protected LocalDate date;
  protected LocalDate gameDate;
  protected DistributedLock locks;
  protected Optional<LockHandle> acquired;
  protected LockHandle lock;
  protected LockAdmin lockAdmin;
  protected CompletionTracker tracker;
  protected CompletionConfig config;
  protected TriggerPublisher publisher;
  protected CompletionEvidence evidence;
  protected ArrivalSource arrivals;
  protected BigQueryDuplicateValidator validator;
  protected BigQueryWriter writer;
  protected Deduplicator<Map<String, Object>> dedup;
  protected DuplicateCheck check;
  protected PipelineServices services;
  protected String table;
  protected PartitionFilter partition;
  protected List<String> keyFields;
  protected String phase;
  protected String processor;
  protected String id;
  protected PubsubMessage message;
  protected Publisher phase4Topic;
  protected long rows;
  protected long token;
  protected Logger log;

  /** The reader's computation for a date. */
  protected static List<Map<String, Object>> compute(LocalDate date) {
    return List.of();
  }

  /** The reader's grading for a date. */
  protected static List<Map<String, Object>> grade(LocalDate date) {
    return List.of();
  }

  /** The reader's write of rows, fenced by a token. */
  protected static void write(Object rows, long fencingToken) {}

  /** The reader's wiring of health checks. */
  protected static HealthCheckRunner buildRunner() {
    return HealthCheckRunner.builder().build();
  }

  /** What the reader's processor returns; its {@code skipped} result for a run left to another. */
  protected record RunResult(String outcome) {
    /**
     * A run that did nothing because another instance does the work.
     *
     * @param why what to report
     * @return the result
     */
    public static RunResult skipped(String why) {
      return new RunResult("skipped: " + why);
    }
  }

  /** The processor's name. */
  protected String name() {
    return "processor";
  }
}
