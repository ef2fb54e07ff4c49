package dev.pipelinereliability.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints figures as {@code RESULT <name> <value> <unit>} lines, the one format collectors read.
 * Names are lowercase with underscores; a ratio's unit says what it divides, e.g. {@code
 * x_vs_reentrantlock}. Thread-safe.
 */
public final class Results {
  private final PrintStream out;

  Results(PrintStream out) {
    this.out = out;
  }

  /** Prints one figure. */
  public synchronized void report(String name, double value, String unit) {
    out.printf(Locale.ROOT, "RESULT %s %.3f %s%n", name, value, unit);
    out.flush();
  }

  /** Prints a progress or context line that collectors ignore. */
  public synchronized void note(String line) {
    out.println("# " + line);
    out.flush();
  }
}
