package dev.pipelinereliability.examples.oncall;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.examples.config.PipelineFile;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.firestore.lock.FirestoreDistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One command's connections, created on first use from the pipeline file and the {@link Endpoints},
 * and closed when the command ends.
 *
 * <p>Production clients use Application Default Credentials and the file's project (or {@code
 * --project}). Emulator clients: Firestore through {@code setEmulatorHost} with the emulator's
 * credentials, never {@code NoCredentials} (with it, the client went to production in a trial);
 * Pub/Sub through a plaintext channel with no credentials. In a local run a store without a local
 * address throws {@link UsageException} instead of reaching production.
 *
 * <p>Not thread-safe.
 */
final class Session implements AutoCloseable {
  private final OnCall root;
  private final Globals globals;
  private final PipelineFile file;
  private final Endpoints endpoints;
  private final String project;

  // Each opened on first use, so a command opens only the stores it needs.
  private @Nullable Firestore firestore;
  private @Nullable PubSubConnection pubsub;
  private @Nullable TopicTriggerPublisher triggers;
  private @Nullable BigQuery bigquery;

  Session(OnCall root, Globals globals) {
    this.root = root;
    this.globals = globals;
    Map<String, String> env = root.env();
    this.endpoints = globals.endpoints(env);
    this.file = globals.pipelineFile(env);
    this.project = globals.project != null ? globals.project : file.project();
  }

  PipelineFile file() {
    return file;
  }

  Endpoints endpoints() {
    return endpoints;
  }

  String project() {
    return project;
  }

  Clock clock() {
    return root.clock().withZone(file.zone());
  }

  /** Yesterday in the pipeline's zone: the date a daily check looks at by default. */
  LocalDate yesterday() {
    return LocalDate.now(clock()).minusDays(1);
  }

  String actor() {
    return globals.actor(root.env());
  }

  boolean json() {
    return globals.json;
  }

  PrintStream out() {
    return root.out();
  }

  PrintStream err() {
    return root.err();
  }

  Firestore firestore() {
    if (firestore == null) {
      FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setProjectId(project);
      if (endpoints.firestoreEmulator().isPresent()) {
        options
            .setEmulatorHost(endpoints.firestoreEmulator().get())
            // The emulator's own credentials, which setEmulatorHost installs only as the channel's
            // provider: without them here, building the options still looks up Application
            // Default Credentials, and that pings the metadata server (metadata.google.internal).
            // Not NoCredentials: with it, the client went to production in a trial.
            .setCredentials(new FirestoreOptions.EmulatorCredentials());
      } else {
        refuseProduction("Firestore", "--firestore-emulator HOST:PORT");
      }
      firestore = options.build().getService();
    }
    return firestore;
  }

  LockAdmin locks() {
    return FirestoreDistributedLock.create(firestore());
  }

  /**
   * The completion tracker over Firestore. Its triggers go to each phase's topic; a command that
   * may publish calls {@link #requirePublishing} first, so that a local run without a Pub/Sub
   * emulator is refused before anything is written.
   */
  CompletionTracker tracker() {
    TriggerPublisher publisher = this::publish;
    return FirestoreCompletionTracker.builder(firestore(), file.completionConfig(), publisher)
        .clock(clock())
        .build();
  }

  private void publish(Trigger trigger) throws Exception {
    requirePublishing().publish(trigger);
  }

  /**
   * Connects to Pub/Sub once and returns its publisher, or throws {@link UsageException} if this
   * run may not.
   */
  TopicTriggerPublisher requirePublishing() {
    TopicTriggerPublisher opened = triggers;
    if (opened == null) {
      if (endpoints.pubsubEmulator().isPresent()) {
        pubsub = PubSubConnection.emulator(endpoints.pubsubEmulator().get(), project);
      } else {
        refuseProduction("Pub/Sub", "--pubsub-emulator HOST:PORT");
        pubsub = PubSubConnection.production(project);
      }
      opened = new TopicTriggerPublisher(file, pubsub);
      triggers = opened;
    }
    return opened;
  }

  /** Whether BigQuery may be used: always in production, only with an endpoint in a local run. */
  boolean bigqueryAvailable() {
    return !endpoints.local() || endpoints.bigqueryEndpoint().isPresent();
  }

  BigQuery bigquery() {
    if (bigquery == null) {
      BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(project);
      if (endpoints.bigqueryEndpoint().isPresent()) {
        // A local endpoint never sees real credentials.
        options
            .setHost(endpoints.bigqueryEndpoint().get())
            .setCredentials(NoCredentials.getInstance());
      } else {
        refuseProduction("BigQuery", "--bigquery-endpoint URL");
      }
      bigquery = options.build().getService();
    }
    return bigquery;
  }

  private void refuseProduction(String store, String option) {
    if (endpoints.local()) {
      throw new UsageException(
          "this run is local ("
              + endpoints.describe()
              + "), so it will not reach production "
              + store
              + "; give "
              + option);
    }
  }

  /** Prints {@code json} with {@code --json}, else {@code text}. */
  void print(String text, String json) {
    out().print(json() ? json + "\n" : text.endsWith("\n") ? text : text + "\n");
    out().flush();
  }

  /** A note for people on the error stream, where it does not disturb {@code --json} output. */
  void note(String text) {
    err().println("note: " + text);
  }

  @Override
  public void close() {
    if (triggers != null) {
      triggers.close();
    }
    if (pubsub != null) {
      pubsub.close();
    }
    if (firestore != null) {
      try {
        firestore.close();
      } catch (Exception e) {
        err().println("note: could not close the Firestore client: " + e);
      }
    }
  }
}
