package dev.pipelinereliability.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Entry point: {@code Benchmarks <suite>[,<suite>...]} or {@code Benchmarks all}. Exits 1 if any
 * suite fails, 2 on an unknown suite name.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /** Every suite, by the name used on the command line; new suites register here. */
  static Map<String, Suite> suites() {
    Map<String, Suite> suites = new LinkedHashMap<>();
    suites.put("lock", new InMemoryLockSuite());
    suites.put("dedup", new DedupSuite());
    suites.put("telemetry", new TelemetryOverheadSuite());
    suites.put("completion", new FirestoreCompletionSuite());
    suites.put("firestore-lock", new FirestoreLockSuite());
    suites.put("function", new FunctionColdStartSuite());
    return suites;
  }

  /**
   * Runs the named suites.
   *
   * @param args one argument: suite names separated by commas, or {@code all} (the default)
   */
  public static void main(String[] args) {
    Map<String, Suite> suites = suites();
    String selection = args.length == 0 || args[0].isBlank() ? "all" : args[0];
    List<String> names = new ArrayList<>();
    for (String name : selection.split(",", -1)) {
      String trimmed = name.trim();
      if (trimmed.equals("all")) {
        names.addAll(suites.keySet());
      } else if (suites.containsKey(trimmed)) {
        names.add(trimmed);
      } else {
        System.err.println("unknown suite '" + trimmed + "'; known: " + suites.keySet() + ", all");
        System.exit(2);
      }
    }
    Results results = new Results(System.out);
    int failed = 0;
    for (String name : names) {
      results.note("suite " + name);
      try {
        Objects.requireNonNull(suites.get(name), name).run(results);
      } catch (Exception e) {
        failed++;
        System.err.println("suite " + name + " failed: " + e);
        e.printStackTrace();
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
