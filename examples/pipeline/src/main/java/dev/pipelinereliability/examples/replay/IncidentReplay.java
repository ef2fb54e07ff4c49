package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.examples.pipeline.GameDay;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The project's main command: replays the incident without the library and then with it, and prints
 * what each left behind side by side.
 *
 * <pre>
 * IncidentReplay [--firestore-emulator] [--speed N]
 * </pre>
 *
 * <p>{@code --firestore-emulator} keeps the library run's locks and completion tracking in a local
 * Firestore emulator that the command starts and stops; by default they live in memory. {@code
 * --speed} sets how much faster than real time the timeline plays (default 50).
 *
 * <p>Exits 0 when the library run is clean: no duplicate rows, no completion delivery lost, a
 * stored completion count equal to the processors whose data landed, exactly one Phase 4 trigger
 * and the stalled holder's late write refused. Exits 1 otherwise, after printing each problem; 2 on
 * a usage error. The {@code exit code 1} printed after the health table is the health command's
 * (the gamebook source is late in the incident), not this command's.
 */
public final class IncidentReplay {
  private static final long DEFAULT_SPEED = 50;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private IncidentReplay() {}

  /**
   * Runs the replay.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    boolean emulator = false;
    long speed = DEFAULT_SPEED;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--firestore-emulator" -> emulator = true;
        case "--speed" -> speed = parseSpeed(i + 1 < args.length ? args[++i] : null);
        case "-h", "--help" -> {
          System.out.println("usage: IncidentReplay [--firestore-emulator] [--speed N]");
          return;
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    Scenario scenario = Scenario.incident();
    PrintStream out = System.out;
    out.println("Replaying the incident of game date " + scenario.gameDate() + ":");
    out.println(
        "  "
            + GameDay.of(scenario.gameDate()).games()
            + " games, "
            + GameDay.of(scenario.gameDate()).allPlayers().size()
            + " player rows; gamebook data due 06:00 ET, arriving 14:45 ET (2 games) and 15:00:15 ET (8 games);");
    out.println(
        "  5 Phase 3 processors started at 15:00:06 ET and again 18 s later; every completion delivered twice.");
    out.println("  Time runs " + speed + "x faster than real time; the races are real threads.");
    out.println();

    Instant started = Instant.now();
    out.println("== naive pipeline (no lock, MERGE -> DELETE+INSERT fallback, stored counter) ==");
    // The naive run never takes a lock; its processors are only asked for their business logic.
    Outcome naive;
    try (ReplayWorld naiveWorld = new ReplayWorld(scenario, speed, InMemoryDistributedLock::new)) {
      naive = NaiveRun.run(scenario, naiveWorld, progress(out, naiveWorld));
    }

    Outcome library;
    String backendName;
    try (Backends backends = emulator ? FirestoreBackends.start() : Backends.inMemory();
        ReplayWorld libraryWorld = new ReplayWorld(scenario, speed, backends::locks)) {
      backendName = backends.description();
      out.println();
      out.println("== with pipeline-reliability (" + backendName + ") ==");
      LibraryRun run = new LibraryRun(scenario, libraryWorld, backends);
      library = run.play(progress(out, libraryWorld));
      out.println();
      out.println(
          "$ oncall health --date " + scenario.gameDate() + "   (after the run, same stores)");
      HealthReport health = run.health(scenario.gameDate()).run();
      out.println(health.toTable());
      out.println("exit code " + health.exitCode());
    }

    out.println();
    printTable(out, naive, library);
    out.println();
    out.printf(
        Locale.ROOT,
        "Replay finished in %.1f s.%n",
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    List<String> problems = libraryProblems(library);
    if (!problems.isEmpty()) {
      out.println();
      out.println("The library run is NOT clean (exit 1):");
      problems.forEach(problem -> out.println("  " + problem));
    }
    System.exit(exitCode(problems));
  }

  /**
   * What keeps the library run from being clean: duplicate rows, a completion delivery lost, a
   * stored count that differs from the processors whose data landed, a number of Phase 4 triggers
   * other than one, or a stalled holder's late write that was not refused. The late-data health
   * finding is expected (the source is late in the incident) and is not a problem of the run.
   *
   * @param library the library run's outcome
   * @return one line per problem; empty when the run is clean
   */
  static List<String> libraryProblems(Outcome library) {
    List<String> problems = new ArrayList<>();
    if (library.duplicateRows() != 0) {
      problems.add(library.duplicateRows() + " duplicate rows");
    }
    if (library.lostCompletions() != 0) {
      problems.add(
          library.lostCompletions()
              + " of "
              + library.deliveries()
              + " completion deliveries lost");
    }
    if (library.storedCount() != library.realCount()) {
      problems.add(
          "completion count stored "
              + library.storedCount()
              + " but "
              + library.realCount()
              + " processors' data landed");
    }
    if (library.triggers() != 1) {
      problems.add(library.triggers() + " Phase 4 triggers fired instead of exactly 1");
    }
    if (!library.staleWrite().equals(LibraryRun.STALE_WRITE_REFUSED)) {
      problems.add("stalled holder's late write: " + library.staleWrite());
    }
    return problems;
  }

  /**
   * The command's exit code for the library run's problems: 0 when there are none, 1 otherwise.
   *
   * @param problems what {@link #libraryProblems(Outcome)} found
   * @return 0 or 1
   */
  static int exitCode(List<String> problems) {
    return problems.isEmpty() ? 0 : 1;
  }

  private static Consumer<String> progress(PrintStream out, ReplayWorld world) {
    return line -> {
      synchronized (out) {
        out.println(
            "  ["
                + CLOCK.format(world.time().now().atZone(Scenario.incident().zone()))
                + " ET] "
                + line);
      }
    };
  }

  static void printTable(PrintStream out, Outcome naive, Outcome library) {
    String format = "%-42s %-26s %-26s%n";
    out.printf(format, "", "naive pipeline", "with pipeline-reliability");
    out.printf(
        format,
        "duplicate rows (all Phase 3 tables)",
        naive.duplicateRows(),
        library.duplicateRows());
    for (int i = 0; i < naive.tables().size(); i++) {
      TableOutcome n = naive.tables().get(i);
      TableOutcome l = library.tables().get(i);
      out.printf(format, "  " + n.table(), rowsAndKeys(n), rowsAndKeys(l));
    }
    out.printf(
        format,
        "completion count stored / real",
        naive.storedCount() + " / " + naive.realCount() + " of " + naive.expectedCount(),
        library.storedCount() + " / " + library.realCount() + " of " + library.expectedCount());
    out.printf(format, "Phase 4 triggers fired", naive.triggers(), library.triggers());
    out.printf(
        format,
        "completion deliveries lost",
        naive.lostCompletions() + " of " + naive.deliveries(),
        library.lostCompletions() + " of " + library.deliveries());
    out.printf(
        format,
        "processor runs skipped by the lock",
        naive.skippedByLock(),
        library.skippedByLock());
    out.printf(format, "stalled holder's late write", naive.staleWrite(), library.staleWrite());
    out.printf(
        format,
        "health check findings",
        naive.healthFindings().isEmpty() ? "none (nothing watches)" : naive.healthFindings().size(),
        library.healthFindings().size());
    for (String finding : library.healthFindings()) {
      out.println("  " + finding);
    }
  }

  private static String rowsAndKeys(TableOutcome t) {
    return t.rows() + " rows / " + t.uniqueKeys() + " keys";
  }

  private static long parseSpeed(@Nullable String value) {
    try {
      long speed = Long.parseLong(value);
      if (speed >= 1 && speed <= 1000) {
        return speed;
      }
    } catch (NumberFormatException e) {
      // fall through to the usage error
    }
    usage("--speed takes a whole number from 1 to 1000, but was '" + value + "'");
    return DEFAULT_SPEED;
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: IncidentReplay [--firestore-emulator] [--speed N]");
    System.exit(2);
  }
}
