package dev.pipelinereliability.examples.oncall;

import dev.pipelinereliability.examples.config.PipelineFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes: which pipeline file, which stores (production, or emulators and
 * a local BigQuery endpoint), JSON output and who is acting. Environment variables fill what the
 * command line leaves out. Not thread-safe.
 */
final class Globals {
  /** Environment variable naming the pipeline file when {@code --pipeline} is not given. */
  static final String PIPELINE_ENV = "ONCALL_PIPELINE";

  /** Environment variable naming the actor when {@code --actor} is not given. */
  static final String ACTOR_ENV = "ONCALL_ACTOR";

  /** The Firestore emulator's conventional environment variable. */
  static final String FIRESTORE_EMULATOR_ENV = "FIRESTORE_EMULATOR_HOST";

  /** The Pub/Sub emulator's conventional environment variable. */
  static final String PUBSUB_EMULATOR_ENV = "PUBSUB_EMULATOR_HOST";

  /**
   * Environment variable naming a local BigQuery endpoint when {@code --bigquery-endpoint} is not.
   */
  static final String BIGQUERY_ENDPOINT_ENV = "ONCALL_BIGQUERY_ENDPOINT";

  @Option(
      scope = ScopeType.INHERIT,
      names = "--pipeline",
      paramLabel = "FILE",
      description =
          "The pipeline file (YAML). Default: $" + PIPELINE_ENV + ", else the example pipeline's.")
  @Nullable Path pipeline;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--project",
      paramLabel = "ID",
      description = "The Google Cloud project. Default: the pipeline file's.")
  @Nullable String project;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--firestore-emulator",
      paramLabel = "HOST:PORT",
      description =
          "Use the Firestore emulator at HOST:PORT. Default: $"
              + FIRESTORE_EMULATOR_ENV
              + ". With any emulator or local endpoint, nothing reaches production.")
  @Nullable String firestoreEmulator;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--pubsub-emulator",
      paramLabel = "HOST:PORT",
      description = "Use the Pub/Sub emulator at HOST:PORT. Default: $" + PUBSUB_EMULATOR_ENV + ".")
  @Nullable String pubsubEmulator;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--bigquery-endpoint",
      paramLabel = "URL",
      description =
          "Send BigQuery requests to URL (a local fake or proxy), without credentials. Default: $"
              + BIGQUERY_ENDPOINT_ENV
              + ".")
  @Nullable String bigqueryEndpoint;

  @Option(scope = ScopeType.INHERIT, names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--actor",
      paramLabel = "NAME",
      description =
          "Who is acting, for the audit trail. Default: $" + ACTOR_ENV + ", else the user name.")
  @Nullable String actor;

  /** Loads the pipeline file this run uses. */
  PipelineFile pipelineFile(Map<String, String> env) {
    if (pipeline != null) {
      return PipelineFile.load(pipeline);
    }
    String fromEnv = env.get(PIPELINE_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return PipelineFile.load(Path.of(fromEnv.strip()));
    }
    return PipelineFile.example();
  }

  /** The actor for audit entries. */
  String actor(Map<String, String> env) {
    String a = actor;
    if (a == null || a.isBlank()) {
      a = env.get(ACTOR_ENV);
    }
    if (a == null || a.isBlank()) {
      a = System.getProperty("user.name", "oncall") + " (oncall)";
    }
    return a.strip();
  }

  /** Where each store is, from the options, else the environment. */
  Endpoints endpoints(Map<String, String> env) {
    return new Endpoints(
        Endpoints.hostPort(
            "--firestore-emulator", or(firestoreEmulator, env, FIRESTORE_EMULATOR_ENV)),
        Endpoints.hostPort("--pubsub-emulator", or(pubsubEmulator, env, PUBSUB_EMULATOR_ENV)),
        Endpoints.url("--bigquery-endpoint", or(bigqueryEndpoint, env, BIGQUERY_ENDPOINT_ENV)));
  }

  private static Optional<String> or(
      @Nullable String option, Map<String, String> env, String variable) {
    if (option != null) {
      return Optional.of(option);
    }
    return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank()).map(String::strip);
  }
}
