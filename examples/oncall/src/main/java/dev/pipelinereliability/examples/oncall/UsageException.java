package dev.pipelinereliability.examples.oncall;

/**
 * A command the tool refuses to run as given: a bad value, a missing {@code --reason}, or a local
 * run that would have to reach production. The message says what to change; the exit code is {@link
 * OnCall#USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
