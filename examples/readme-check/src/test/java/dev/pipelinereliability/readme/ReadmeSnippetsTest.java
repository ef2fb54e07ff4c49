package dev.pipelinereliability.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of every README in the repository (found by walking it, so a
 * README added later is covered too) against this module's test class path, which holds every
 * library module and the example pipeline. None is exempt.
 *
 * <p>A block is compiled as it stands when it declares a type or a method (it becomes a member of a
 * class extending {@link SnippetWorld}, its types made static), and otherwise as the body of a
 * method of such a class. Either way it sees the fields and helpers of {@link SnippetWorld} (the
 * client, the date, the lock, ...), the members of a {@code <!-- java-context: ... -->} comment
 * right above the block, the types declared by the README's other blocks, and star imports of the
 * library packages, the JDK's {@code java.util}/{@code java.time} and the Google clients. A block's
 * own imports are kept. A line that is only {@code ...} (code left to the reader) becomes a
 * comment.
 */
class ReadmeSnippetsTest {
  private static final Pattern BLOCK =
      Pattern.compile("^```java[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern CONTEXT =
      Pattern.compile("<!--\\s*java-context:(.*?)-->\\s*$", Pattern.DOTALL);
  private static final Pattern TYPE_DECLARATION =
      Pattern.compile(
          "^((?:public|protected|private|abstract|final|static|sealed)\\s+)*(class|record|interface|enum)\\s+(\\w+)");
  private static final Pattern MEMBER_START =
      Pattern.compile(
          "^(@\\w+|(public|protected|private|static|abstract|final|void)\\b|[\\w.<>\\[\\], ?]+\\s+\\w+\\s*\\([^)]*\\)\\s*(throws\\s+[\\w., ]+)?\\s*\\{\\s*$)");

  private static final List<String> FIXED_IMPORTS =
      List.of(
          "java.util.*",
          "java.util.function.*",
          "java.time.*",
          "java.io.*",
          "com.google.cloud.firestore.*",
          "com.google.cloud.bigquery.*",
          "org.junit.jupiter.api.*",
          "org.junit.jupiter.api.extension.*",
          "org.slf4j.*");

  /** One block of one README. */
  record Snippet(Path readme, int line, String code, String context, String className) {}

  @Test
  void everyJavaBlockOfEveryReadmeCompiles(@TempDir Path classes) throws IOException {
    Path root = repositoryRoot();
    List<Path> readmes = readmes(root);
    List<String> failures = new ArrayList<>();
    int compiled = 0;
    StringBuilder summary = new StringBuilder();
    for (Path readme : readmes) {
      List<Snippet> snippets = snippets(readme);
      if (snippets.isEmpty()) {
        continue;
      }
      failures.addAll(compile(root, readme, snippets, classes));
      compiled += snippets.size();
      summary.append(String.format("  %2d  %s%n", snippets.size(), root.relativize(readme)));
    }
    System.out.printf(
        "README snippets: compiled %d java blocks from %d READMEs%n%s",
        compiled, readmes.size(), summary);

    assertThat(readmes).as("READMEs found under %s", root).isNotEmpty();
    assertThat(compiled).as("java blocks found").isPositive();
    assertThat(failures).as("README java blocks that do not compile").isEmpty();
  }

  @Test
  void aBlockThatDriftedFromTheApiIsReportedAtItsReadmeLine(@TempDir Path dir) throws IOException {
    Path readme = dir.resolve("README.md");
    Files.writeString(
        readme,
        """
        # A module

        ```java
        LockHandle held = locks.acquire(LockKey.of("phase3", gameDate));
        ```

        ```java
        LockHandle held = locks.acquire(LockKey.of("phase3", gameDate));
        held.renewForever();
        ```
        """);

    List<String> failures =
        compile(repositoryRoot(), readme, snippets(readme), dir.resolve("classes"));

    assertThat(failures).singleElement().asString().contains("README.md:9: cannot find symbol");
  }

  /** The directory with the root pom and README, walking up from this module. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isRegularFile(p.resolve("README.md"))
          && Files.isDirectory(p.resolve("reliability-core"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** Every README*.md in the repository, outside build output and hidden directories. */
  static List<Path> readmes(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.startsWith("readme") && name.endsWith(".md");
              })
          .filter(
              p -> {
                for (Path part : root.relativize(p)) {
                  String s = part.toString();
                  if (s.equals("target") || s.equals("node_modules") || s.startsWith(".")) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    }
  }

  static List<Snippet> snippets(Path readme) throws IOException {
    String text = Files.readString(readme);
    List<Snippet> found = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      Matcher context = CONTEXT.matcher(text.substring(0, m.start()));
      String declared = context.find() ? context.group(1).trim() : "";
      found.add(new Snippet(readme, line, m.group(1), declared, "Snippet" + line));
    }
    return found;
  }

  private static List<String> compile(Path root, Path readme, List<Snippet> snippets, Path classes)
      throws IOException {
    String pkg = packageOf(root, readme);
    Set<String> imports = new TreeSet<>();
    for (String i : FIXED_IMPORTS) {
      imports.add("import " + i + ";");
    }
    imports.add("import static org.assertj.core.api.Assertions.*;");
    Set<String> modules = scope(root, readme);
    if (modules.isEmpty()) {
      // Only where the examples are in scope: Pub/Sub has a RetryPolicy of its own.
      imports.add("import com.google.cloud.pubsub.v1.*;");
      imports.add("import com.google.pubsub.v1.*;");
    }
    for (String p : libraryPackages(root, modules)) {
      imports.add("import " + p + ".*;");
    }
    for (Snippet s : snippets) {
      imports.add("import " + pkg + "." + s.className() + ".*;");
      // A type a block declares beats a library type of the same name (single-type import).
      for (String l : s.code().split("\n", -1)) {
        Matcher type = TYPE_DECLARATION.matcher(l);
        if (type.find()) {
          imports.add("import " + pkg + "." + s.className() + "." + type.group(3) + ";");
        }
      }
    }
    List<JavaFileObject> units = new ArrayList<>();
    List<Integer> firstLines = new ArrayList<>();
    for (Snippet s : snippets) {
      StringBuilder own = new StringBuilder();
      List<String> body = new ArrayList<>();
      for (String l : s.code().split("\n", -1)) {
        if (l.startsWith("import ")) {
          own.append(l).append('\n');
          body.add("");
        } else if (l.strip().equals("...")) {
          body.add("/* ... */");
        } else {
          Matcher type = TYPE_DECLARATION.matcher(l);
          body.add(
              type.find() && !l.contains("static ")
                  ? l.substring(0, type.start(2)) + "static " + l.substring(type.start(2))
                  : l);
        }
      }
      boolean members =
          body.stream()
              .anyMatch(l -> TYPE_DECLARATION.matcher(l).find() || MEMBER_START.matcher(l).find());
      // The snippet's own imports come first: a single-type import beats the star imports.
      StringBuilder src = new StringBuilder("package " + pkg + ";\n").append(own);
      imports.forEach(i -> src.append(i).append('\n'));
      src.append("@SuppressWarnings(\"all\")\nabstract class ")
          .append(s.className())
          .append(" extends dev.pipelinereliability.readme.SnippetWorld {\n")
          .append(s.context())
          .append('\n');
      if (!members) {
        src.append("Object run() throws Exception {\n");
      }
      int header = (int) src.chars().filter(c -> c == '\n').count();
      src.append(String.join("\n", body)).append('\n');
      src.append(members ? "}\n" : "return null;\n}\n}\n");
      units.add(source(pkg, s.className(), src.toString()));
      firstLines.add(header);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of(
              "-proc:none",
              "-nowarn",
              "-d",
              classes.toString(),
              "-classpath",
              System.getProperty(
                  "surefire.test.class.path", System.getProperty("java.class.path")));
      javac.getTask(null, files, diagnostics, options, null, units).call();
    }
    List<String> failures = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      int i = units.indexOf(d.getSource());
      String where =
          i < 0
              ? root.relativize(readme).toString()
              : root.relativize(readme)
                  + ":"
                  + (snippets.get(i).line() + (int) d.getLineNumber() - firstLines.get(i));
      failures.add(where + ": " + d.getMessage(Locale.ROOT).replace('\n', ' '));
    }
    return failures;
  }

  /** A package per README, so that blocks of different READMEs cannot collide. */
  private static String packageOf(Path root, Path readme) {
    String rel = root.relativize(readme).toString().toLowerCase(Locale.ROOT);
    return "readme." + rel.replaceAll("[^a-z0-9]+", "_");
  }

  /**
   * Which modules' packages a README's blocks see: a module README sees its own module, the core
   * and the testkit (what a user of that module has); the root README and the examples' see every
   * module on the class path.
   */
  private static Set<String> scope(Path root, Path readme) {
    Path rel = root.relativize(readme);
    String first = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
    if (first.startsWith("reliability-")) {
      return new TreeSet<>(List.of(first, "reliability-core", "reliability-testkit"));
    }
    return Set.of();
  }

  /**
   * Every public package of the library and the example pipeline, from their source trees; only
   * those of the modules in {@code modules} unless it is empty.
   */
  static Set<String> libraryPackages(Path root, Set<String> modules) throws IOException {
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> onClassPath(root.relativize(p)))
          .filter(
              p -> modules.isEmpty() || modules.contains(root.relativize(p).getName(0).toString()))
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> !p.toString().contains("/internal/"))
          .forEach(
              p -> {
                String s = p.toString();
                String rel = s.substring(s.indexOf("/src/main/java/") + "/src/main/java/".length());
                int slash = rel.lastIndexOf('/');
                if (slash > 0) {
                  packages.add(rel.substring(0, slash).replace('/', '.'));
                }
              });
    }
    return packages;
  }

  /** The modules this one depends on: the library and the example pipeline. */
  private static boolean onClassPath(Path relative) {
    String first = relative.getName(0).toString();
    return first.startsWith("reliability-")
        || (first.equals("examples") && relative.getName(1).toString().equals("pipeline"));
  }

  private static JavaFileObject source(String pkg, String className, String code) {
    URI uri = URI.create("string:///" + pkg.replace('.', '/') + "/" + className + ".java");
    return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }
}
