package dev.pipelinereliability.testkit.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulator JVM on a loopback port: start it on a free port and wait for its ready line, stop it
 * and wait until it exited, start it again on the same port.
 *
 * <p>The emulator's JVM is started directly ({@code java -cp <jar> <main>}), never through a Cloud
 * SDK wrapper script, so the process held here is the emulator itself and stopping it leaves
 * nothing behind. A JVM shutdown hook stops it too, so a test run that ends abruptly does not leak
 * it. Its output is drained continuously (a full pipe would block it) and the last lines are kept
 * for the error message when it fails to start.
 *
 * <p>Thread-safe: the lifecycle methods are synchronized.
 */
public final class EmulatorProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmulatorProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES_KEPT = 40;

  private final String name;
  private final IntFunction<List<String>> arguments;
  private final String readyLine;
  private final int port;
  private final Thread shutdownHook;
  private @Nullable Process process;
  private boolean hookRegistered;

  private EmulatorProcess(
      String name, IntFunction<List<String>> arguments, String readyLine, int port) {
    this.name = name;
    this.arguments = arguments;
    this.readyLine = readyLine;
    this.port = port;
    this.shutdownHook = new Thread(this::stopQuietly, name + "-shutdown");
  }

  /**
   * Starts an emulator on a free loopback port and waits until it prints {@code readyLine}.
   *
   * @param name for log lines and messages, e.g. {@code "Firestore emulator"}
   * @param arguments the JVM arguments after {@code java} (class path, main class, flags) for a
   *     given port
   * @param readyLine what the emulator prints once it accepts requests
   * @return the running emulator; {@link #close()} stops it
   * @throws IllegalStateException if it did not become ready within 90 s, with its last output
   */
  public static EmulatorProcess start(
      String name, IntFunction<List<String>> arguments, String readyLine) {
    requireNonNull(name, "name");
    requireNonNull(arguments, "arguments");
    requireNonNull(readyLine, "readyLine");
    IllegalStateException last = null;
    // A port found free now may be taken before the emulator binds it; a few attempts cover that.
    for (int attempt = 0; attempt < 3; attempt++) {
      EmulatorProcess emulator =
          new EmulatorProcess(name, arguments, readyLine, freeLoopbackPort());
      try {
        emulator.startProcess();
        return emulator;
      } catch (IllegalStateException e) {
        emulator.close();
        last = e;
      }
    }
    throw last;
  }

  /**
   * The port the emulator listens on.
   *
   * @return the port the emulator listens on
   */
  public int port() {
    return port;
  }

  /**
   * {@code 127.0.0.1:port}, the value for the clients' {@code *_EMULATOR_HOST} variables.
   *
   * @return {@code 127.0.0.1:port}, the value for the clients' {@code *_EMULATOR_HOST} variables
   */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /**
   * Whether the emulator process is alive.
   *
   * @return whether the emulator process is alive
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The running process; called with the monitor held. */
  private Process running() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("the " + name + " on " + hostPort() + " is not running");
    }
    return p;
  }

  /** Stops the emulator and waits until it exited; its data is lost. No-op when stopped. */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    // A paused (SIGSTOP) process does not act on SIGTERM until continued.
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid()))
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No kill command: the forcible path below still ends the process.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the emulator again on the same port after {@link #stop()}, empty, and waits until ready.
   *
   * @throws IllegalStateException if it is running, or did not become ready within 90 s
   */
  public synchronized void restart() {
    if (isRunning()) {
      throw new IllegalStateException("the " + name + " on " + hostPort() + " is still running");
    }
    IllegalStateException last = null;
    // The old process's socket may linger for a moment after it exited.
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        startProcess();
        return;
      } catch (IllegalStateException e) {
        stop();
        last = e;
        pause(Duration.ofMillis(500));
      }
    }
    throw last;
  }

  /**
   * Freezes the emulator process ({@code kill -STOP}): it keeps its port and data but answers
   * nothing, as a store that hangs would. Undo with {@link #resume()}; {@link #stop()} also works
   * on a paused emulator. Needs a POSIX {@code kill} command.
   *
   * @throws IllegalStateException if it is not running or could not be paused
   */
  public synchronized void pause() {
    signal("-STOP");
    awaitAllThreadsStopped(running().pid());
  }

  /**
   * The signal is delivered asynchronously: on Linux, waits until every thread of the process shows
   * state T in /proc, so that no request sent after this returns is still answered.
   */
  private void awaitAllThreadsStopped(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return; // not Linux: trust the signal
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> threads = Files.list(tasks)) {
        boolean allStopped =
            threads.allMatch(
                t -> {
                  try {
                    String stat = Files.readString(t.resolve("stat"));
                    // The state follows the parenthesised command name.
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    return state == 'T' || state == 't';
                  } catch (IOException | RuntimeException gone) {
                    return true; // the thread exited
                  }
                });
        if (allStopped) {
          return;
        }
      } catch (IOException e) {
        return;
      }
      pause(Duration.ofMillis(10));
    }
    throw new IllegalStateException("the " + name + " (pid " + pid + ") did not stop within 5 s");
  }

  /**
   * Lets a {@linkplain #pause() paused} emulator run again, with its data as it was.
   *
   * @throws IllegalStateException if it is not running or could not be resumed
   */
  public synchronized void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    long pid = running().pid();
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run kill " + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling the " + name, e);
    }
  }

  /** Stops the emulator, as {@link #stop()}, and unregisters the shutdown hook. */
  @Override
  public synchronized void close() {
    stop();
    if (hookRegistered) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to; it will find the process stopped.
      }
      hookRegistered = false;
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException e) {
      log.warn("Could not stop the {} on {}", name, hostPort(), e);
    }
  }

  /** Starts the process and waits for its ready line; called with the monitor held. */
  private void startProcess() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments.apply(port));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + String.join(" ", command), e);
    }
    process = p;
    if (!hookRegistered) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      hookRegistered = true;
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Thread reader = new Thread(() -> drain(p, ready, lastLines), name + "-output-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("{} ready on {} (pid {})", name, hostPort(), p.pid());
    } catch (TimeoutException | ExecutionException e) {
      String output;
      synchronized (lastLines) {
        output = String.join("\n", lastLines);
      }
      throw new IllegalStateException(
          "the "
              + name
              + " on "
              + hostPort()
              + " did not print '"
              + readyLine
              + "' within "
              + START_TIMEOUT
              + (p.isAlive() ? "" : " (it exited with " + p.exitValue() + ")")
              + "; its last output:\n"
              + output,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the " + name, e);
    }
  }

  private void drain(Process p, CompletableFuture<Void> ready, Deque<String> lastLines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > OUTPUT_LINES_KEPT) {
            lastLines.removeFirst();
          }
        }
        if (line.contains(readyLine)) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      // The process was stopped.
    } finally {
      ready.completeExceptionally(new IllegalStateException("the emulator's output ended"));
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "{" + hostPort() + ", running=" + isRunning() + "}";
  }
}
