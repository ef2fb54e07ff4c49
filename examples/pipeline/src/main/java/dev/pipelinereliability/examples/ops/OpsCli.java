package dev.pipelinereliability.examples.ops;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.ReliabilityException;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The operations command line. Every command is a thin layer over the library's API:
 *
 * <pre>
 * reconcile --phase phase3 [--days 7] [--fix] [--json]   compare completion state with landed data
 * locks list [--abandoned] [--json]                      locks whose lease is live (or that
 *                                                        a dead holder left, lease run out)
 * locks release TYPE KEY --reason TEXT                   force-release a stuck lock
 * health [--date yyyy-MM-dd] [--json]                    run the health checks
 * </pre>
 *
 * <p>Exit codes: 0 all is well; 1 issues were found (findings in report mode, findings left for a
 * human in fix mode, or nothing to release); 2 a check could not run because a backend could not be
 * reached; 64 the command line was wrong (the message says how).
 *
 * <p>Not thread-safe; one instance runs one command at a time.
 */
public final class OpsCli {
  /** Exit code: all is well. */
  public static final int OK = 0;

  /** Exit code: issues were found. */
  public static final int ISSUES = 1;

  /** Exit code: a check could not run. */
  public static final int COULD_NOT_CHECK = 2;

  /** Exit code: the command line was wrong. */
  public static final int USAGE = 64;

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage:",
          "  reconcile --phase PHASE [--days N] [--fix] [--json]",
          "  locks list [--abandoned] [--json]",
          "  locks release TYPE KEY --reason TEXT",
          "  health [--date yyyy-MM-dd] [--json]   (default: yesterday in New York)");

  private final OpsBackends backends;
  private final PrintStream out;
  private final PrintStream err;

  /** Creates the tool over {@code backends}, printing to {@code out} and {@code err}. */
  public OpsCli(OpsBackends backends, PrintStream out, PrintStream err) {
    this.backends = requireNonNull(backends, "backends");
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
  }

  /**
   * Runs one command.
   *
   * @return the exit code (see the class documentation)
   */
  public int run(String... args) {
    try {
      if (args.length == 0) {
        throw new UsageException("missing command");
      }
      return switch (args[0]) {
        case "locks" -> locks(new Args(args, Set.of("reason")));
        case "reconcile" -> Reconcile.run(backends, new Args(args, Set.of("phase", "days")), out);
        case "health" -> Health.run(backends, new Args(args, Set.of("date")), out);
        case "-h", "--help", "help" -> {
          out.println(USAGE_TEXT);
          yield OK;
        }
        default -> throw new UsageException("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    } catch (ReliabilityException e) {
      err.println("could not check: " + e.getMessage() + causes(e.getCause()));
      return COULD_NOT_CHECK;
    }
  }

  /** The chain of causes, so the operator sees the backend's own words. */
  private static String causes(Throwable cause) {
    StringBuilder chain = new StringBuilder();
    for (Throwable c = cause; c != null; c = c.getCause()) {
      chain.append(" <- ").append(c.getMessage());
    }
    return chain.toString();
  }

  private int locks(Args args) {
    String sub = args.word(1, "locks subcommand (list or release)");
    switch (sub) {
      case "list" -> {
        boolean json = args.flag("json");
        boolean abandoned = args.flag("abandoned");
        args.rejectUnknown();
        List<LockInfo> listed =
            abandoned ? backends.locks().listAbandoned() : backends.locks().listHeld();
        out.println(json ? LockTable.json(listed) : LockTable.text(listed));
        return OK;
      }
      case "release" -> {
        LockKey key;
        try {
          key = LockKey.of(args.word(2, "lock TYPE"), args.word(3, "lock KEY"));
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
        String reason = args.requiredOption("reason");
        args.rejectUnknown();
        if (backends.locks().forceRelease(key, reason)) {
          out.println("released " + key + " (" + reason + ")");
          return OK;
        }
        out.println(String.format(Locale.ROOT, "%s was not held; nothing released", key));
        return ISSUES;
      }
      default -> throw new UsageException("unknown locks subcommand '" + sub + "'");
    }
  }
}
