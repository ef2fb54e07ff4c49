package dev.pipelinereliability.examples.config;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.DeadlinePolicy;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.ProcessorNames;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A pipeline described once, in YAML, for every tool that needs to know it: the on-call command
 * line, the health checks and the replay. It names the Google Cloud project, the pipeline's time
 * zone, the phases (expected processors, deadline policy, trigger topic, the table each processor
 * writes), the lock types (longest expected hold), the warehouse tables (business key, partition
 * column, version column) and the upstream sources whose arrival is watched (table, load-time
 * column, expected local time, warning and error thresholds).
 *
 * <p>The example pipeline's own file is {@value #EXAMPLE_RESOURCE} on the class path ({@link
 * #example()}); it reads:
 *
 * <pre>{@code
 * project: nba-props-platform
 * zone: America/New_York
 * phases:
 *   phase3:
 *     trigger_topic: nba-phase4-trigger
 *     processors:
 *       player_game_summary: {table: player_game_summary}
 *       ...
 * locks:
 *   phase3: {max_hold: 20m}
 * tables:
 *   prediction_accuracy:
 *     id: nba_predictions.prediction_accuracy
 *     key: [player_lookup, game_id, system_id, line_value]
 *     partition: game_date
 *     version: graded_at
 * sources:
 *   nbac_gamebook_player_stats:
 *     table: nba_raw.nbac_gamebook_player_stats
 *     date_column: game_date
 *     loaded_at_column: processed_at
 *     expected_at: "06:00"
 *     days_after: 1
 *     warn_after: 1h
 *     error_after: 4h
 * }</pre>
 *
 * <p>Everything is validated when the file is loaded, with the library's own rules: an unknown or
 * missing field, a bad value or a reference to a table that is not described fails with a {@link
 * PipelineFileException} naming the file, the line and the field. Durations are written {@code
 * 90s}, {@code 10m}, {@code 4h}, {@code 1d} or in ISO-8601 ({@code PT10M}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param source the file or resource it was read from, for messages
 * @param project the Google Cloud project of the Firestore, BigQuery and Pub/Sub resources
 * @param zone the pipeline's time zone: "today" and "yesterday" for commands without a date
 * @param phases the tracked phases by name, in file order
 * @param locks the lock types by name, in file order
 * @param tables the warehouse tables by name, in file order
 * @param sources the watched sources by name, in file order
 */
public record PipelineFile(
    String source,
    String project,
    ZoneId zone,
    Map<String, PhaseSpec> phases,
    Map<String, LockSpec> locks,
    Map<String, TableSpec> tables,
    Map<String, SourceSpec> sources) {

  /** The class path resource holding the example pipeline's file. */
  public static final String EXAMPLE_RESOURCE = "pipeline.yaml";

  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

  /**
   * Creates a pipeline description; prefer {@link #load} or {@link #parse}, which also check the
   * references between entries.
   *
   * @param source the file or resource it was read from, for messages
   * @param project the Google Cloud project
   * @param zone the pipeline's time zone
   * @param phases the tracked phases by name
   * @param locks the lock types by name
   * @param tables the warehouse tables by name
   * @param sources the watched sources by name
   * @throws NullPointerException if an argument is null
   */
  public PipelineFile {
    requireNonNull(source, "source");
    requireNonNull(project, "project");
    requireNonNull(zone, "zone");
    phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    locks = Collections.unmodifiableMap(new LinkedHashMap<>(locks));
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /**
   * Reads and validates the file at {@code path}.
   *
   * @param path the YAML file
   * @return the pipeline it describes
   * @throws PipelineFileException if it cannot be read, is not YAML, or breaks a rule; the message
   *     names the file, the line and the field
   */
  public static PipelineFile load(Path path) {
    requireNonNull(path, "path");
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PipelineFileException(path.toString(), 0, "", "cannot be read (" + e + ")", e);
    }
    return parse(path.toString(), text);
  }

  /**
   * Reads and validates the example pipeline's file, {@value #EXAMPLE_RESOURCE} on the class path.
   *
   * @return the example pipeline
   * @throws PipelineFileException if the resource is missing or invalid
   */
  public static PipelineFile example() {
    String name = "classpath:" + EXAMPLE_RESOURCE;
    try (InputStream in =
        PipelineFile.class.getClassLoader().getResourceAsStream(EXAMPLE_RESOURCE)) {
      if (in == null) {
        throw new PipelineFileException(name, 0, "", "is not on the class path", null);
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PipelineFileException(name, 0, "", "cannot be read (" + e + ")", e);
    }
  }

  /**
   * Parses and validates YAML text.
   *
   * @param name the file name to use in messages
   * @param yaml the file's content
   * @return the pipeline it describes
   * @throws PipelineFileException if the text is not YAML or breaks a rule
   */
  public static PipelineFile parse(String name, String yaml) {
    requireNonNull(name, "name");
    requireNonNull(yaml, "yaml");
    Node root;
    try (Reader reader = new StringReader(yaml)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(new SafeConstructor(options)).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new PipelineFileException(name, line, "", "is not valid YAML: " + e.getProblem(), e);
    } catch (YAMLException | IOException e) {
      throw new PipelineFileException(name, 0, "", "is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      throw new PipelineFileException(name, 1, "", "is empty", null);
    }
    return read(new YamlNode(name, "", root), name);
  }

  private static PipelineFile read(YamlNode root, String name) {
    root.rejectUnknown(Set.of("project", "zone", "phases", "locks", "tables", "sources"));
    YamlNode projectNode = root.required("project");
    String project = projectNode.string();
    if (!PROJECT.matcher(project).matches()) {
      throw projectNode.error("must be a Google Cloud project id, but was '" + project + "'");
    }
    YamlNode zoneNode = root.required("zone");
    ZoneId zone = zone(zoneNode);

    Map<String, TableSpec> tables = new LinkedHashMap<>();
    root.optional("tables")
        .ifPresent(t -> t.entries().forEach((n, node) -> tables.put(n, table(n, node))));

    Map<String, PhaseSpec> phases = new LinkedHashMap<>();
    YamlNode phasesNode = root.required("phases");
    phasesNode.entries().forEach((n, node) -> phases.put(n, phase(n, node, tables, zone)));
    if (phases.isEmpty()) {
      throw phasesNode.error("must name at least one phase");
    }

    Map<String, LockSpec> locks = new LinkedHashMap<>();
    root.optional("locks")
        .ifPresent(
            l ->
                l.entries()
                    .forEach(
                        (n, node) -> {
                          node.rejectUnknown(Set.of("max_hold"));
                          Duration hold = node.required("max_hold").duration();
                          locks.put(n, node.validated(() -> new LockSpec(n, hold)));
                        }));

    Map<String, SourceSpec> sources = new LinkedHashMap<>();
    root.optional("sources")
        .ifPresent(s -> s.entries().forEach((n, node) -> sources.put(n, source(n, node, zone))));

    return new PipelineFile(name, project, zone, phases, locks, tables, sources);
  }

  /** The node's text, checked by {@code rule} (which returns it or throws naming the value). */
  private static String checked(YamlNode node, java.util.function.UnaryOperator<String> rule) {
    String text = node.string();
    return node.validated(() -> rule.apply(text));
  }

  private static ZoneId zone(YamlNode node) {
    String text = node.string();
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw node.error("must be a time zone id such as America/New_York, but was '" + text + "'");
    }
  }

  private static TableSpec table(String name, YamlNode node) {
    node.rejectUnknown(Set.of("id", "key", "partition", "version"));
    String id = checked(node.required("id"), TableSpec::checkTableId);
    YamlNode keyNode = node.required("key");
    List<String> key = keyNode.strings();
    key.forEach(column -> keyNode.validated(() -> TableSpec.checkColumn(column)));
    String partition = checked(node.required("partition"), TableSpec::checkColumn);
    Optional<String> version =
        node.optional("version").map(v -> checked(v, TableSpec::checkColumn));
    return node.validated(() -> new TableSpec(name, id, key, partition, version));
  }

  private static PhaseSpec phase(
      String name, YamlNode node, Map<String, TableSpec> tables, ZoneId zone) {
    node.rejectUnknown(Set.of("processors", "trigger_topic", "deadline"));
    YamlNode topicNode = node.required("trigger_topic");
    String topic = topicNode.string();
    if (!TOPIC.matcher(topic).matches() || topic.startsWith("goog")) {
      throw topicNode.error(
          "must be a Pub/Sub topic name (3-255 of [A-Za-z0-9._~+%-], starting with a letter, not"
              + " goog), but was '"
              + topic
              + "'");
    }
    YamlNode processorsNode = node.required("processors");
    List<String> processors = new ArrayList<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    processorsNode
        .entries()
        .forEach(
            (processor, p) -> {
              processors.add(p.validated(() -> ProcessorNames.check(processor)));
              p.rejectUnknown(Set.of("table"));
              p.optional("table")
                  .ifPresent(
                      t -> {
                        String table = t.string();
                        if (!tables.containsKey(table)) {
                          throw t.error(
                              "names table '"
                                  + table
                                  + "', which is not described under tables "
                                  + tables.keySet());
                        }
                        outputs.put(processor, table);
                      });
            });
    PhaseConfig config = processorsNode.validated(() -> PhaseConfig.of(name, processors));
    Optional<YamlNode> deadlineNode = node.optional("deadline");
    if (deadlineNode.isPresent()) {
      PhaseConfig base = config;
      DeadlinePolicy policy = deadline(deadlineNode.get(), zone);
      config = deadlineNode.get().validated(() -> base.withDeadline(policy));
    }
    PhaseConfig finalConfig = config;
    return node.validated(() -> new PhaseSpec(finalConfig, topic, outputs));
  }

  /**
   * Either {@code after_first_completion: 4h}, or {@code at: "10:00"} with optional {@code
   * days_after} and {@code zone} (the pipeline's by default); and {@code minimum_processors}.
   */
  private static DeadlinePolicy deadline(YamlNode d, ZoneId defaultZone) {
    d.rejectUnknown(
        Set.of("after_first_completion", "at", "days_after", "zone", "minimum_processors"));
    int minimum = d.required("minimum_processors").integer(1, PhaseConfig.MAX_PROCESSORS);
    Optional<YamlNode> after = d.optional("after_first_completion");
    Optional<YamlNode> at = d.optional("at");
    if (after.isPresent() == at.isPresent()) {
      throw d.error("must give either after_first_completion or at, not both or neither");
    }
    if (after.isPresent()) {
      for (String wallClockOnly : List.of("days_after", "zone")) {
        Optional<YamlNode> misplaced = d.optional(wallClockOnly);
        if (misplaced.isPresent()) {
          throw misplaced.get().error("goes with at, not with after_first_completion");
        }
      }
      Duration delay = after.get().duration();
      return after.get().validated(() -> DeadlinePolicy.afterFirstCompletion(delay, minimum));
    }
    LocalTime time = localTime(at.get());
    ZoneId zone = d.optional("zone").map(PipelineFile::zone).orElse(defaultZone);
    int daysAfter =
        d.optional("days_after").map(n -> n.integer(0, DeadlinePolicy.MAX_DAYS_AFTER)).orElse(0);
    return d.validated(() -> DeadlinePolicy.atLocalTime(time, zone, daysAfter, minimum));
  }

  private static LocalTime localTime(YamlNode node) {
    String text = node.string();
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw node.error("must be a local time such as \"06:00\" (quoted), but was '" + text + "'");
    }
  }

  private static SourceSpec source(String name, YamlNode node, ZoneId defaultZone) {
    node.rejectUnknown(
        Set.of(
            "table",
            "date_column",
            "loaded_at_column",
            "expected_at",
            "zone",
            "days_after",
            "warn_after",
            "error_after"));
    String table = checked(node.required("table"), TableSpec::checkTableId);
    String dateColumn = checked(node.required("date_column"), TableSpec::checkColumn);
    String loadedAt = checked(node.required("loaded_at_column"), TableSpec::checkColumn);
    LocalTime expectedAt = localTime(node.required("expected_at"));
    ZoneId zone = node.optional("zone").map(PipelineFile::zone).orElse(defaultZone);
    int daysAfter =
        node.optional("days_after")
            .map(n -> n.integer(0, SourceFreshness.MAX_DAYS_AFTER))
            .orElse(0);
    YamlNode warnNode = node.required("warn_after");
    Duration warn = warnNode.duration();
    YamlNode errorNode = node.required("error_after");
    Duration error = errorNode.duration();
    SourceFreshness freshness =
        errorNode.validated(
            () ->
                SourceFreshness.builder(name)
                    .expectedAt(expectedAt, zone)
                    .daysAfter(daysAfter)
                    .warnAfter(warn)
                    .errorAfter(error)
                    .build());
    return node.validated(() -> new SourceSpec(freshness, table, dateColumn, loadedAt));
  }

  /**
   * Returns the completion tracking configuration of every phase.
   *
   * @return the phases' {@link PhaseConfig}s, in file order
   */
  public CompletionConfig completionConfig() {
    return CompletionConfig.of(
        phases.values().stream().map(PhaseSpec::config).toArray(PhaseConfig[]::new));
  }

  /**
   * Returns the phase named {@code name}.
   *
   * @param name the phase
   * @return its spec
   * @throws IllegalArgumentException if the file describes no such phase; the message lists those
   *     it does
   */
  public PhaseSpec phase(String name) {
    PhaseSpec phase = phases.get(requireNonNull(name, "name"));
    if (phase == null) {
      throw new IllegalArgumentException(
          "phase '" + name + "' is not in " + source + "; it describes " + phases.keySet());
    }
    return phase;
  }

  /**
   * Returns the table named {@code name}.
   *
   * @param name the table's name in the file
   * @return its spec
   * @throws IllegalArgumentException if the file describes no such table; the message lists those
   *     it does
   */
  public TableSpec table(String name) {
    TableSpec table = tables.get(requireNonNull(name, "name"));
    if (table == null) {
      throw new IllegalArgumentException(
          "table '" + name + "' is not in " + source + "; it describes " + tables.keySet());
    }
    return table;
  }

  /**
   * Returns the longest expected hold of every lock type.
   *
   * @return lock type to maximum hold, in file order
   */
  public Map<String, Duration> maxHolds() {
    Map<String, Duration> out = new LinkedHashMap<>();
    locks.forEach((type, spec) -> out.put(type, spec.maxHold()));
    return Collections.unmodifiableMap(out);
  }
}
