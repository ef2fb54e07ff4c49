package dev.pipelinereliability.examples.config;

import org.jspecify.annotations.Nullable;

/**
 * A pipeline file that cannot be used: unreadable, not YAML, or a value that breaks a rule. The
 * message starts with {@code <file>:<line>: <field>:} so that an operator can go straight to it.
 *
 * <p>Immutable and thread-safe.
 */
public final class PipelineFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The file (or resource) named in the message. */
  private final String file;

  /** The 1-based line, or 0 when the problem is not at one line (the file could not be read). */
  private final int line;

  /** The dotted path of the field, such as {@code phases.phase3.trigger_topic}; may be empty. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param file the file or resource name
   * @param line the 1-based line, or 0 if none applies
   * @param field the dotted path of the field, or empty
   * @param problem what is wrong, naming the bad value
   * @param cause the underlying exception, or null
   */
  public PipelineFileException(
      String file, int line, String field, String problem, @Nullable Throwable cause) {
    super(
        file
            + (line > 0 ? ":" + line : "")
            + ": "
            + (field.isEmpty() ? "" : field + ": ")
            + problem,
        cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  /**
   * Returns the file or resource the problem is in.
   *
   * @return the name as it was given to the loader
   */
  public String file() {
    return file;
  }

  /**
   * Returns the 1-based line of the problem.
   *
   * @return the line, or 0 when the file could not be read at all
   */
  public int line() {
    return line;
  }

  /**
   * Returns the dotted path of the field at fault.
   *
   * @return the path, such as {@code phases.phase3.processors}, or empty for a syntax error
   */
  public String field() {
    return field;
  }
}
