package dev.pipelinereliability.examples.function;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.PhaseConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What one deployment of {@link OrchestratorFunction} orchestrates, read from its environment
 * variables (set with {@code gcloud functions deploy --set-env-vars}). Every problem is reported
 * with the variable's name and bad value, so a bad deployment fails its first event with a message
 * that says what to fix.
 *
 * <p>Immutable and thread-safe.
 *
 * @param projectId the Google Cloud project of the Firestore database and the trigger topic
 * @param phase the tracked phase and its expected processors
 * @param triggerTopic the topic id (not its full name) the next phase listens on
 * @param rpcTimeout how long one Firestore call may take before the delivery fails and is retried
 * @param firestoreEmulatorHost {@code host:port} of a Firestore emulator, for local runs only
 * @param pubSubEmulatorHost {@code host:port} of a Pub/Sub emulator, for local runs only
 */
public record FunctionConfig(
    String projectId,
    PhaseConfig phase,
    String triggerTopic,
    Duration rpcTimeout,
    Optional<String> firestoreEmulatorHost,
    Optional<String> pubSubEmulatorHost) {

  /** The Google Cloud project; if unset, {@code GOOGLE_CLOUD_PROJECT}, then the runtime's own. */
  public static final String PROJECT = "ORCHESTRATOR_PROJECT";

  /** The phase whose completions arrive, e.g. {@code phase3}. Required. */
  public static final String PHASE = "ORCHESTRATOR_PHASE";

  /** The phase's expected processors, separated by commas. Required. */
  public static final String PROCESSORS = "ORCHESTRATOR_PROCESSORS";

  /**
   * The topic id the next phase's trigger is published to, e.g. {@code phase4-trigger}. Required.
   */
  public static final String TRIGGER_TOPIC = "ORCHESTRATOR_TRIGGER_TOPIC";

  /** Seconds one Firestore call may take; 10 if unset. */
  public static final String RPC_TIMEOUT_SECONDS = "ORCHESTRATOR_RPC_TIMEOUT_SECONDS";

  /**
   * {@code false} to build the clients only when the first event arrives, instead of in the
   * background from the start of the instance; read by {@link OrchestratorFunction} itself, so that
   * the cold-start benchmark can compare both.
   */
  public static final String WARM_UP = "ORCHESTRATOR_WARM_UP";

  /** The Firestore emulator's {@code host:port}; the standard variable of the Cloud SDK. */
  public static final String FIRESTORE_EMULATOR_HOST = "FIRESTORE_EMULATOR_HOST";

  /** The Pub/Sub emulator's {@code host:port}; the standard variable of the Cloud SDK. */
  public static final String PUBSUB_EMULATOR_HOST = "PUBSUB_EMULATOR_HOST";

  // Pub/Sub's rule for topic ids: 3-255 characters, starting with a letter.
  private static final Pattern TOPIC_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._~+%-]{2,254}");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}");

  /**
   * Validates and creates a configuration.
   *
   * @param projectId the Google Cloud project of the Firestore database and the trigger topic
   * @param phase the tracked phase and its expected processors
   * @param triggerTopic the topic id (not its full name) the next phase listens on
   * @param rpcTimeout how long one Firestore call may take before the delivery fails and is retried
   * @param firestoreEmulatorHost {@code host:port} of a Firestore emulator, for local runs only
   * @param pubSubEmulatorHost {@code host:port} of a Pub/Sub emulator, for local runs only
   * @throws IllegalArgumentException if the topic id is not a valid Pub/Sub topic id, the timeout
   *     is not between 1 s and 5 min, or an emulator address is not {@code host:port}; the message
   *     names the value
   * @throws NullPointerException if any argument is null
   */
  public FunctionConfig {
    requireNonNull(projectId, "projectId");
    requireNonNull(phase, "phase");
    requireNonNull(triggerTopic, "triggerTopic");
    requireNonNull(rpcTimeout, "rpcTimeout");
    requireNonNull(firestoreEmulatorHost, "firestoreEmulatorHost");
    requireNonNull(pubSubEmulatorHost, "pubSubEmulatorHost");
    if (projectId.isBlank()) {
      throw new IllegalArgumentException("project id must not be blank");
    }
    if (!TOPIC_ID.matcher(triggerTopic).matches()) {
      throw new IllegalArgumentException(
          TRIGGER_TOPIC
              + " must be a Pub/Sub topic id (3-255 characters, starting with a letter), but was '"
              + triggerTopic
              + "'");
    }
    if (rpcTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || rpcTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          RPC_TIMEOUT_SECONDS + " must be 1-300 seconds, but was " + rpcTimeout.toSeconds());
    }
    firestoreEmulatorHost.ifPresent(h -> checkHostPort(FIRESTORE_EMULATOR_HOST, h));
    pubSubEmulatorHost.ifPresent(h -> checkHostPort(PUBSUB_EMULATOR_HOST, h));
  }

  /**
   * Reads the configuration from {@code environment}, e.g. {@link System#getenv()}.
   *
   * @param environment variable names to values
   * @param defaultProjectId the runtime's project, used when neither {@value #PROJECT} nor {@code
   *     GOOGLE_CLOUD_PROJECT} is set; may return null
   * @return the validated configuration
   * @throws IllegalArgumentException if a required variable is unset or blank, or a value is
   *     invalid; the message names the variable and its value
   */
  public static FunctionConfig fromEnvironment(
      Map<String, String> environment, Supplier<String> defaultProjectId) {
    requireNonNull(environment, "environment");
    requireNonNull(defaultProjectId, "defaultProjectId");
    String phaseName = required(environment, PHASE);
    List<String> processors =
        Arrays.stream(required(environment, PROCESSORS).split(",", -1)).map(String::trim).toList();
    PhaseConfig phase;
    try {
      phase = PhaseConfig.of(phaseName, processors);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PHASE
              + "='"
              + phaseName
              + "' / "
              + PROCESSORS
              + "='"
              + environment.get(PROCESSORS)
              + "' are not a valid phase: "
              + e.getMessage(),
          e);
    }
    String triggerTopic = required(environment, TRIGGER_TOPIC);
    Duration rpcTimeout = Duration.ofSeconds(seconds(environment, RPC_TIMEOUT_SECONDS, 10));
    // Last: the runtime's default project may be asked of the metadata server, which a missing
    // required variable should not wait for.
    String project =
        optional(environment, PROJECT)
            .or(() -> optional(environment, "GOOGLE_CLOUD_PROJECT"))
            .or(() -> Optional.ofNullable(defaultProjectId.get()).filter(p -> !p.isBlank()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        PROJECT
                            + " is not set and the runtime names no default project; set it to"
                            + " the project of the Firestore database and the trigger topic"));
    return new FunctionConfig(
        project,
        phase,
        triggerTopic,
        rpcTimeout,
        optional(environment, FIRESTORE_EMULATOR_HOST),
        optional(environment, PUBSUB_EMULATOR_HOST));
  }

  private static Optional<String> optional(Map<String, String> environment, String name) {
    return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static String required(Map<String, String> environment, String name) {
    return optional(environment, name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "environment variable " + name + " is not set; see the function's README"));
  }

  private static long seconds(Map<String, String> environment, String name, long otherwise) {
    Optional<String> value = optional(environment, name);
    if (value.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number of seconds, but was '" + value.get() + "'", e);
    }
  }

  private static void checkHostPort(String name, String value) {
    if (!HOST_PORT.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must be host:port, but was '" + value + "'");
    }
  }
}
