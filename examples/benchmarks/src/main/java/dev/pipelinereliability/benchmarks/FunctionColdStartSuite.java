package dev.pipelinereliability.benchmarks;

import com.google.cloud.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.function.FunctionConfig;
import dev.pipelinereliability.examples.function.OrchestratorFunction;
import dev.pipelinereliability.examples.function.ParseOnlyFunction;
import dev.pipelinereliability.examples.function.local.EventarcPubSub;
import dev.pipelinereliability.examples.function.local.LocalFunction;
import dev.pipelinereliability.examples.orchestrator.CompletionMessages;
import dev.pipelinereliability.examples.orchestrator.PubSubConnection;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import dev.pipelinereliability.testkit.emulator.PubSubEmulator;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of the orchestrator as a Cloud Function: the Functions Framework invoker started in a
 * fresh JVM with the deployable thin jar of {@code OrchestratorFunction} on its {@code --classpath}
 * (as Cloud Functions runs it), and the time from starting that JVM to the answer to its first
 * event, which comes only after the completion is recorded in Firestore. Four variants, each
 * started {@value #STARTS} times, alternated so that machine noise falls on all of them, medians
 * reported:
 *
 * <ul>
 *   <li>{@code floor}: {@code ParseOnlyFunction}, the same JVM, invoker and event parsing, nothing
 *       recorded;
 *   <li>{@code orchestrator_lazy}: {@code OrchestratorFunction} building its clients when the first
 *       event arrives ({@code ORCHESTRATOR_WARM_UP=false});
 *   <li>{@code orchestrator}: {@code OrchestratorFunction} as deployed, building its clients and
 *       opening the Firestore channel in the background from the moment the framework creates it;
 *   <li>{@code orchestrator_c1}: the same with {@code JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1}, a
 *       JVM option a deployment can set through its environment.
 * </ul>
 *
 * <p>Per start: time until the invoker listens, time of the first event after that, then the median
 * of {@value #WARM_EVENTS} sequential new completions and of as many duplicate deliveries (warm
 * latency). The orchestrator's log line says how long building its clients took; one more start of
 * the floor and of the lazy orchestrator runs with {@code -Xlog:class+load} to count the classes
 * loaded by the time the first event is answered.
 *
 * <p>Needs the Cloud SDK Firestore and Pub/Sub emulators; it starts them and stops them. Needs the
 * system property {@code function.jar} (the function module's {@code
 * target/deployment/orchestrator-function-<version>.jar}), which {@code exec:exec} sets.
 */
final class FunctionColdStartSuite implements Suite {
  static final int STARTS = 5;
  static final int WARM_EVENTS = 30;
  private static final String PROJECT = "bench-function";
  private static final String PROCESSOR = "player_game_summary";
  private static final Pattern BUILT =
      Pattern.compile(
          "built in (\\d+) ms \\(Firestore client (\\d+) ms, trigger publisher (\\d+) ms\\)");

  private static final Pattern UPTIME = Pattern.compile("^\\[(\\d+)ms\\]");

  private final HttpClient http = HttpClient.newHttpClient();
  private final EventarcPubSub eventarc = new EventarcPubSub(PROJECT, "phase3-complete", "sub");
  private int nextDay;
  private int nextMessage;

  /** What one start of one function measured, in milliseconds. */
  private record Start(
      double listening,
      double firstEvent,
      double coldStart,
      double warmNew,
      double warmDuplicate) {}

  @Override
  public void run(Results results) throws Exception {
    Path sdkJar =
        FirestoreEmulator.findCloudSdkJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the function suite needs the Cloud SDK Firestore emulator"
                            + " (gcloud components install cloud-firestore-emulator)"));
    // The deployable thin jar itself: its manifest's Class-Path names the jars in libs/.
    String functionClasspath = required("function.jar");
    String invokerClasspath = System.getProperty("java.class.path");
    try (FirestoreEmulator firestore = FirestoreEmulator.start(sdkJar);
        PubSubEmulator pubsub = PubSubEmulator.start()) {
      try (PubSubConnection admin = PubSubConnection.emulator(pubsub.hostPort(), PROJECT)) {
        admin.createTopicAndSubscription("phase4-trigger", "phase4-listener");
      }
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put(FunctionConfig.PROJECT, PROJECT);
      environment.put(FunctionConfig.PHASE, "phase3");
      environment.put(
          FunctionConfig.PROCESSORS,
          PROCESSOR + ",team_offense_game_summary,team_defense_game_summary");
      environment.put(FunctionConfig.TRIGGER_TOPIC, "phase4-trigger");
      environment.put(FunctionConfig.FIRESTORE_EMULATOR_HOST, firestore.hostPort());
      environment.put(FunctionConfig.PUBSUB_EMULATOR_HOST, pubsub.hostPort());
      List<String> jvm = List.of("-Xmx256m");
      Map<String, String> lazy = new LinkedHashMap<>(environment);
      lazy.put(FunctionConfig.WARM_UP, "false");
      // A deployment can set this variable (--set-env-vars): the JVM then compiles with C1 only,
      // which starts faster and optimises less.
      Map<String, String> c1 = new LinkedHashMap<>(environment);
      c1.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
      List<Variant> variants =
          List.of(
              new Variant("floor", ParseOnlyFunction.class, environment),
              new Variant("orchestrator_lazy", OrchestratorFunction.class, lazy),
              new Variant("orchestrator", OrchestratorFunction.class, environment),
              new Variant("orchestrator_c1", OrchestratorFunction.class, c1));

      // One unmeasured start of each warms the OS file cache and the emulators' JVMs.
      for (Variant v : variants) {
        measure(v, invokerClasspath, functionClasspath, jvm, 3);
      }
      Map<String, List<Start>> starts = new LinkedHashMap<>();
      Map<String, List<Double>> builds = new LinkedHashMap<>();
      for (int i = 0; i < STARTS; i++) {
        StringBuilder line = new StringBuilder("start " + (i + 1) + ", ms to the first answer:");
        for (Variant v : variants) {
          Measured m = measure(v, invokerClasspath, functionClasspath, jvm, WARM_EVENTS);
          starts.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(m.start());
          line.append(String.format(Locale.ROOT, " %s %.0f", v.name(), m.start().coldStart()));
          Matcher built = BUILT.matcher(m.output());
          if (built.find()) {
            builds
                .computeIfAbsent(v.name() + "_client_build", k -> new ArrayList<>())
                .add(Double.parseDouble(built.group(1)));
            builds
                .computeIfAbsent(v.name() + "_firestore_client_build", k -> new ArrayList<>())
                .add(Double.parseDouble(built.group(2)));
            builds
                .computeIfAbsent(v.name() + "_publisher_build", k -> new ArrayList<>())
                .add(Double.parseDouble(built.group(3)));
          }
        }
        results.note(line.toString());
      }
      for (Variant v : variants) {
        report(results, v.name(), startsOf(starts, v.name()));
      }
      double floor = median(startsOf(starts, "floor").stream().map(Start::coldStart).toList());
      for (String name : List.of("orchestrator_lazy", "orchestrator", "orchestrator_c1")) {
        double cold = median(startsOf(starts, name).stream().map(Start::coldStart).toList());
        results.report("function_cold_start_ratio_" + name, cold / floor, "x_vs_parse_only_floor");
        results.report(
            "function_cold_start_extra_" + name, cold - floor, "ms_over_parse_only_floor");
      }
      double lazyCold =
          median(startsOf(starts, "orchestrator_lazy").stream().map(Start::coldStart).toList());
      double eagerCold =
          median(startsOf(starts, "orchestrator").stream().map(Start::coldStart).toList());
      results.report(
          "function_cold_start_warm_up_saving", lazyCold - eagerCold, "ms_vs_lazy_build");
      builds.forEach(
          (name, values) -> {
            if (values.size() == STARTS) {
              results.report("function_" + name, median(values), "ms");
            } else {
              results.note(
                  name + ": the build line was missing in " + (STARTS - values.size()) + " starts");
            }
          });
      for (Variant v : List.of(variants.get(0), variants.get(1))) {
        ClassCounts counts = classesLoaded(v, invokerClasspath, functionClasspath);
        results.report("function_classes_loaded_" + v.name(), (double) counts.total(), "classes");
        results.report(
            "function_classes_loaded_in_first_event_" + v.name(),
            (double) counts.inFirstEvent(),
            "classes");
      }
    }
  }

  /** One function as it is started: its class and environment. */
  private record Variant(String name, Class<?> target, Map<String, String> environment) {}

  private record Measured(Start start, String output) {}

  private Measured measure(
      Variant variant,
      String invokerClasspath,
      String functionClasspath,
      List<String> jvm,
      int warmEvents)
      throws Exception {
    try (LocalFunction function = start(variant, invokerClasspath, functionClasspath, jvm)) {
      double listening = millis(function.awaitListening(Duration.ofMinutes(2)).toNanos());
      long beforeFirst = System.nanoTime();
      deliver(function, newCompletion());
      long firstAnswered = System.nanoTime();
      List<Double> warmNew = new ArrayList<>();
      List<Double> warmDuplicate = new ArrayList<>();
      for (int i = 0; i < warmEvents; i++) {
        PubsubMessage message = newCompletion();
        warmNew.add(timed(function, message));
        warmDuplicate.add(timed(function, message));
      }
      return new Measured(
          new Start(
              listening,
              millis(firstAnswered - beforeFirst),
              millis(firstAnswered - function.startedNanos()),
              median(warmNew),
              median(warmDuplicate)),
          function.output());
    }
  }

  /** Starts {@code variant}'s function in a JVM of its own with {@code jvm} options. */
  private static LocalFunction start(
      Variant variant, String invokerClasspath, String functionClasspath, List<String> jvm)
      throws Exception {
    return LocalFunction.start(
        variant.target().getName(),
        invokerClasspath,
        functionClasspath,
        variant.environment(),
        jvm);
  }

  /** Classes a function's JVM loaded: in all, and from the moment its first event was sent. */
  private record ClassCounts(long total, long inFirstEvent) {}

  /**
   * Counts the classes the function's JVM loaded until its first event was answered, from {@code
   * -Xlog:class+load} with the JVM's uptime on each line. The JVM's uptime starts a little after
   * the process, so {@code inFirstEvent} (lines stamped at or after the moment the event was sent)
   * may miss the first few milliseconds' worth.
   */
  private ClassCounts classesLoaded(
      Variant variant, String invokerClasspath, String functionClasspath) throws Exception {
    Path log = Files.createTempFile("class-load-", ".log");
    try {
      try (LocalFunction function =
          start(
              variant,
              invokerClasspath,
              functionClasspath,
              List.of("-Xmx256m", "-Xlog:class+load=info:file=" + log + ":uptimemillis"))) {
        function.awaitListening(Duration.ofMinutes(2));
        long sentAtMillis = (System.nanoTime() - function.startedNanos()) / 1_000_000;
        deliver(function, newCompletion());
        long total = 0;
        long inFirstEvent = 0;
        for (String line : Files.readAllLines(log)) {
          Matcher stamp = UPTIME.matcher(line);
          if (stamp.find()) {
            total++;
            if (Long.parseLong(stamp.group(1)) >= sentAtMillis) {
              inFirstEvent++;
            }
          }
        }
        return new ClassCounts(total, inFirstEvent);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private double timed(LocalFunction function, PubsubMessage message) throws Exception {
    long start = System.nanoTime();
    deliver(function, message);
    return millis(System.nanoTime() - start);
  }

  private void deliver(LocalFunction function, PubsubMessage message) throws Exception {
    HttpResponse<Void> response =
        http.send(
            eventarc.request(function.uri(), message, Duration.ofMinutes(2)),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "the function answered " + response.statusCode() + ":\n" + function.output());
    }
  }

  /** A completion for a date no run has seen, so the orchestrator records (not dedups) it. */
  private PubsubMessage newCompletion() {
    LocalDate date = LocalDate.of(2026, 1, 1).plusDays(nextDay++);
    return CompletionMessages.toPubsub(
            new CompletionMessage("phase3", date, PROCESSOR, "run-" + date, 348, 1))
        .toBuilder()
        .setMessageId("bench-" + nextMessage++)
        .setPublishTime(Timestamp.now().toProto())
        .build();
  }

  private static void report(Results results, String name, List<Start> starts) {
    results.report(
        "function_listening_" + name, median(starts.stream().map(Start::listening).toList()), "ms");
    results.report(
        "function_first_event_" + name,
        median(starts.stream().map(Start::firstEvent).toList()),
        "ms");
    results.report(
        "function_cold_start_" + name,
        median(starts.stream().map(Start::coldStart).toList()),
        "ms");
    results.report(
        "function_warm_event_" + name, median(starts.stream().map(Start::warmNew).toList()), "ms");
    results.report(
        "function_warm_duplicate_" + name,
        median(starts.stream().map(Start::warmDuplicate).toList()),
        "ms");
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set; run the suite through exec:exec");
    }
    return value;
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** A variant's starts; a variant that did not run fails naming it. */
  private static List<Start> startsOf(Map<String, List<Start>> starts, String variant) {
    return Objects.requireNonNull(starts.get(variant), variant);
  }
}
