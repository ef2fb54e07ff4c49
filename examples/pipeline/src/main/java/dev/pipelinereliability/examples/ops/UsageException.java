package dev.pipelinereliability.examples.ops;

/** A command line the tool cannot run; the message says what is wrong and how to call it. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
