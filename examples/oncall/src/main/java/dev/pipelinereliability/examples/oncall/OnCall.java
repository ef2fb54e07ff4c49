package dev.pipelinereliability.examples.oncall;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.examples.config.PipelineFileException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The example pipeline's on-call command line: {@code reconcile}, {@code locks list|release},
 * {@code completion show|mark-complete|force-trigger|reset-trigger}, {@code health} and {@code
 * duplicates check|plan|cleanup}, each a thin layer over the library's API, against the stores the
 * pipeline file names (or the emulators given), configured by the pipeline file.
 *
 * <p>Exit codes: {@value #OK} all is well; {@value #FINDINGS} something needs attention (findings,
 * duplicates, nothing to release); {@value #COULD_NOT_CHECK} a store could not be reached or a
 * check could not run; {@value #USAGE} the command line or the pipeline file is wrong (the message
 * says where).
 *
 * <p>Every command that writes requires {@code --reason}, records it in the library's audit trail
 * and supports {@code --dry-run}, which prints what would be written and writes nothing.
 *
 * <p>Not thread-safe; one instance runs one command.
 */
@Command(
    name = "oncall",
    mixinStandardHelpOptions = true,
    version = "oncall 0.1.0-SNAPSHOT (pipeline-reliability)",
    description = "On-call commands for the pipeline described by the pipeline file.",
    subcommands = {
      ReconcileCommand.class,
      LocksCommand.class,
      CompletionCommand.class,
      HealthCommand.class,
      DuplicatesCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0   all is well",
      "  1   findings: something needs attention",
      "  2   could not check: a store could not be reached",
      "  64  usage: the command line or the pipeline file is wrong"
    })
public final class OnCall implements Runnable {
  /** Exit code: all is well. */
  public static final int OK = 0;

  /** Exit code: findings that need attention. */
  public static final int FINDINGS = 1;

  /** Exit code: a store could not be reached, so a check could not run. */
  public static final int COULD_NOT_CHECK = 2;

  /** Exit code: the command line or the pipeline file is wrong. */
  public static final int USAGE = 64;

  @SuppressWarnings("NullAway.Init") // picocli injects the spec before call()
  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @SuppressWarnings("NullAway.Init") // picocli injects the mixin before call()
  @CommandLine.Mixin
  private Globals globals;

  private final Map<String, String> env;
  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  OnCall(Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
    this.env = env;
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs one command with the process's environment and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            System.getenv(),
            Clock.systemUTC(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8),
            new PrintStream(System.err, true, StandardCharsets.UTF_8)));
  }

  /**
   * Runs one command.
   *
   * @param args the command line
   * @param env the environment variables to read ({@code FIRESTORE_EMULATOR_HOST}, ...)
   * @param clock the current time
   * @param out where results go
   * @param err where errors and notes go
   * @return the exit code (see the class documentation)
   */
  public static int run(
      String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new OnCall(env, clock, out, err));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(OnCall::usageError);
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof UsageException
              || e instanceof PipelineFileException
              || e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return USAGE;
          }
          if (e instanceof ReliabilityException || e instanceof RuntimeException) {
            err.println("could not check: " + e.getMessage() + causes(e.getCause()));
            return COULD_NOT_CHECK;
          }
          throw e;
        });
    return cli.execute(args);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("error: " + e.getMessage());
    command.usage(command.getErr());
    return USAGE;
  }

  /** The chain of causes, so the operator sees the backend's own words. */
  static String causes(@Nullable Throwable cause) {
    StringBuilder chain = new StringBuilder();
    for (Throwable c = cause; c != null && chain.length() < 2000; c = c.getCause()) {
      chain.append(" <- ").append(c.getMessage());
    }
    return chain.toString();
  }

  /** Without a command, the tool prints its usage and exits {@value #USAGE}. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  Globals globals() {
    return globals;
  }

  Map<String, String> env() {
    return env;
  }

  Clock clock() {
    return clock;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }
}
