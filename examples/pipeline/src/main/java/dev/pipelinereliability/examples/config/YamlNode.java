package dev.pipelinereliability.examples.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One node of a composed YAML document with its dotted path, so that every error names the file,
 * the line and the field. Reading a mapping records which keys were read; {@link #rejectUnknown}
 * then names a misspelt one. Not thread-safe.
 */
final class YamlNode {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private final String file;
  private final String path;
  private final Node node;
  private final int keyLine;

  YamlNode(String file, String path, Node node) {
    this(file, path, node, node.getStartMark().getLine() + 1);
  }

  /** A mapping's value, {@code keyLine} being the line of its key (where a missing field is). */
  private YamlNode(String file, String path, Node node, int keyLine) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.keyLine = keyLine;
  }

  String path() {
    return path;
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  PipelineFileException error(String problem) {
    return new PipelineFileException(file, line(), path, problem, null);
  }

  /**
   * Runs {@code make}, turning the library's own validation error into one that names this node.
   */
  <T> T validated(Supplier<T> make) {
    try {
      return make.get();
    } catch (PipelineFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new PipelineFileException(file, line(), path, String.valueOf(e.getMessage()), e);
    }
  }

  /** The entries of a mapping, in file order; fails naming a repeated key. */
  Map<String, YamlNode> entries() {
    if (!(node instanceof MappingNode mapping)) {
      throw error("must be a mapping of names to values, but was " + describe());
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key)) {
        throw new YamlNode(file, path, keyNode).error("keys must be plain names");
      }
      String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
      if (out.containsKey(key.getValue())) {
        throw new YamlNode(file, childPath, keyNode).error("is given twice");
      }
      out.put(
          key.getValue(),
          new YamlNode(
              file, childPath, tuple.getValueNode(), keyNode.getStartMark().getLine() + 1));
    }
    return out;
  }

  /** Fails on the first key of this mapping outside {@code allowed}, naming it and the allowed. */
  void rejectUnknown(Set<String> allowed) {
    for (YamlNode child : entries().values()) {
      String name = child.path.substring(child.path.lastIndexOf('.') + 1);
      if (!allowed.contains(name)) {
        throw child.error("unknown field; expected one of " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  Optional<YamlNode> optional(String key) {
    return Optional.ofNullable(entries().get(key)).filter(n -> !n.isNull());
  }

  YamlNode required(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                new PipelineFileException(
                    file,
                    keyLine,
                    path.isEmpty() ? key : path + "." + key,
                    "is required but missing",
                    null));
  }

  String string() {
    if (!(node instanceof ScalarNode scalar) || isNull() || scalar.getValue().isBlank()) {
      throw error("must be a non-empty text value, but was " + describe());
    }
    return scalar.getValue().strip();
  }

  int integer(int min, int max) {
    String text = string();
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error("must be a whole number from " + min + " to " + max + ", but was '" + text + "'");
  }

  /** A positive duration written {@code 90s}, {@code 10m}, {@code 4h}, {@code 1d} or ISO-8601. */
  Duration duration() {
    String text = string();
    Matcher m = DURATION.matcher(text);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text);
      } catch (java.time.format.DateTimeParseException e) {
        // reported below
      }
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw error(
          "must be a positive duration such as 90s, 10m, 4h, 1d or PT10M, but was '" + text + "'");
    }
    return d;
  }

  /** A list of non-empty texts; fails naming a repeated one. */
  List<String> strings() {
    if (!(node instanceof SequenceNode seq)) {
      throw error("must be a list such as [a, b], but was " + describe());
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Node item : seq.getValue()) {
      String value = new YamlNode(file, path + "[" + i++ + "]", item).string();
      if (out.contains(value)) {
        throw new YamlNode(file, path, item).error("lists '" + value + "' twice");
      }
      out.add(value);
    }
    if (out.isEmpty()) {
      throw error("must not be empty");
    }
    return out;
  }

  private boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isNull() ? "empty" : "'" + ((ScalarNode) node).getValue() + "'";
  }
}
