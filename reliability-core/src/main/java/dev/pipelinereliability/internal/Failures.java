package dev.pipelinereliability.internal;

import dev.pipelinereliability.health.internal.Text;

/**
 * Describes a failure in one line for a log message that on-call reads: the exception's class and
 * message, and its root cause's if that differs, with line breaks folded into spaces. The stack
 * trace belongs at DEBUG. Internal: not part of the API and may change without notice. Stateless
 * and thread-safe.
 */
public final class Failures {
  /** Longest description returned; a client's message can carry a whole response body. */
  static final int MAX_LENGTH = 500;

  private Failures() {}

  /**
   * Returns {@code failure} in one line, for example {@code LockUnavailableException: lock store
   * unavailable ... (cause: StatusRuntimeException: UNAVAILABLE: io exception)}.
   *
   * @param failure the failure to describe
   * @return one line of at most {@value #MAX_LENGTH} characters
   */
  public static String oneLine(Throwable failure) {
    StringBuilder line = new StringBuilder(describe(failure));
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
      root = root.getCause();
    }
    // The client's message is often repeated in ours; then the cause adds only its class name.
    if (root != failure) {
      String rootMessage = messageOf(root);
      boolean repeated = !rootMessage.isEmpty() && line.indexOf(rootMessage) >= 0;
      line.append(" (cause: ")
          .append(repeated ? root.getClass().getSimpleName() : describe(root))
          .append(')');
    }
    String folded = Text.oneLine(line.toString()).replaceAll(" {2,}", " ").trim();
    return folded.length() <= MAX_LENGTH ? folded : folded.substring(0, MAX_LENGTH - 3) + "...";
  }

  private static String describe(Throwable t) {
    String message = messageOf(t);
    return message.isEmpty()
        ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + message;
  }

  private static String messageOf(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage();
  }
}
