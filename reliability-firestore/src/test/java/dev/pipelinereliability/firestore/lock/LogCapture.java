package dev.pipelinereliability.firestore.lock;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the test's slf4j-simple logger prints: it writes each line to whatever {@code
 * System.err} is at that moment. Not thread-safe across tests that swap {@code System.err} at once.
 */
final class LogCapture {
  private LogCapture() {}

  /** Runs {@code action} and returns every line printed to {@code System.err} meanwhile. */
  static List<String> linesDuring(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text); // still shown in the test output
    return text.lines().toList();
  }
}
