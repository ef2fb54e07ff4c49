package dev.pipelinereliability.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.examples.time.CompressedTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The example's packages form layers: a package may use its own layer's package and the layers
 * below it, never one above. Layered means acyclic, so a change to a lower package never needs a
 * map of the upper ones. The dependencies are read from the compiled classes by the JDK's {@code
 * jdeps}, so a fully qualified name or a lambda counts as much as an import.
 */
class PackageLayersTest {
  private static final String ROOT = "dev.pipelinereliability.examples.";

  /** Bottom first. A package not listed here fails the test, so a new one must pick its layer. */
  private static final List<List<String>> LAYERS =
      List.of(
          List.of("time", "config"),
          List.of("warehouse"),
          List.of("pipeline"),
          List.of("orchestrator"),
          List.of("replay"));

  @Test
  void everyPackageUsesOnlyItsOwnAndLowerLayers() throws Exception {
    Map<String, SortedSet<String>> uses = packageDependencies();

    assertThat(uses).as("example packages found by jdeps").isNotEmpty();
    assertThat(violations(uses)).isEmpty();
  }

  @Test
  void aDependencyOnAHigherLayerOrAnUnlistedPackageIsReported() {
    Map<String, SortedSet<String>> uses = new TreeMap<>();
    uses.put("warehouse", new TreeSet<>(List.of("time", "replay")));
    uses.put("replay", new TreeSet<>(List.of("warehouse")));
    uses.put("ops", new TreeSet<>(List.of("pipeline")));

    assertThat(violations(uses))
        .containsExactly(
            "ops is in no layer; add it to PackageLayersTest.LAYERS",
            "warehouse (layer 1) uses replay (layer 4)");
  }

  private static List<String> violations(Map<String, SortedSet<String>> uses) {
    List<String> found = new ArrayList<>();
    uses.forEach(
        (from, targets) -> {
          int fromLayer = layerOf(from);
          if (fromLayer < 0) {
            found.add(from + " is in no layer; add it to PackageLayersTest.LAYERS");
            return;
          }
          for (String to : targets) {
            int toLayer = layerOf(to);
            if (toLayer < 0) {
              found.add(to + " is in no layer; add it to PackageLayersTest.LAYERS");
            } else if (toLayer > fromLayer) {
              found.add(
                  from + " (layer " + fromLayer + ") uses " + to + " (layer " + toLayer + ")");
            }
          }
        });
    return found;
  }

  private static int layerOf(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  /** Example package (relative to {@code ROOT}) -> the other example packages its classes use. */
  private static Map<String, SortedSet<String>> packageDependencies() throws Exception {
    Optional<ToolProvider> jdeps = ToolProvider.findFirst("jdeps");
    assertThat(jdeps).as("the JDK's jdeps tool (module jdk.jdeps)").isPresent();
    Path classes =
        Path.of(CompressedTime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        jdeps
            .get()
            .run(
                new PrintWriter(out),
                new PrintWriter(err),
                "-verbose:package",
                "-filter:none",
                classes.toString());
    assertThat(exit).as("jdeps exit code; stderr: %s", err).isZero();

    Pattern edge =
        Pattern.compile(
            "^\\s*"
                + Pattern.quote(ROOT)
                + "([\\w.]+)\\s+->\\s+"
                + Pattern.quote(ROOT)
                + "([\\w.]+)\\s",
            Pattern.MULTILINE);
    Map<String, SortedSet<String>> uses = new TreeMap<>();
    Matcher m = edge.matcher(out.toString());
    while (m.find()) {
      SortedSet<String> targets = uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (!m.group(1).equals(m.group(2))) {
        targets.add(m.group(2));
      }
    }
    return uses;
  }
}
