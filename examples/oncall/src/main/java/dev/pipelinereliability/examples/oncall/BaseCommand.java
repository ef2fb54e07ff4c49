package dev.pipelinereliability.examples.oncall;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs against the pipeline's stores: it opens a {@link Session} with the global
 * options, runs, and closes it. Not thread-safe.
 */
abstract class BaseCommand implements Callable<Integer> {
  @SuppressWarnings("NullAway.Init") // picocli injects the spec before call()
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    OnCall root = (OnCall) spec.root().userObject();
    try (Session session = new Session(root, root.globals())) {
      return run(session);
    }
  }

  /**
   * Runs the command.
   *
   * @return the exit code
   */
  abstract int run(Session session);

  /** Parses a {@code yyyy-MM-dd} option value, naming the option when it is not one. */
  static LocalDate date(String option, String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException(option + " must be a date yyyy-MM-dd, but was '" + text + "'");
    }
  }

  /** Fails unless a writing command was given a reason, dry run or not. */
  static void requireReason(@Nullable String reason) {
    if (reason == null || reason.isBlank()) {
      throw new UsageException("--reason TEXT is required: it is kept in the audit trail");
    }
  }
}
