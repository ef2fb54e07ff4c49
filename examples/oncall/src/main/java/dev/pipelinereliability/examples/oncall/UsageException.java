package dev.pipelinereliability.examples.oncall;

import org.jspecify.annotations.Nullable;

/**
 * A command the tool refuses to run as given: a bad value, a missing {@code --reason}, or a local
 * run that would have to reach production. The message says what to change; the exit code is {@link
 * OnCall#USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(@Nullable String message) {
    super(message);
  }
}
