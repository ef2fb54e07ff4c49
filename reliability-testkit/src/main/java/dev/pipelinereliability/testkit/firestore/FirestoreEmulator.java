package dev.pipelinereliability.testkit.firestore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cloud SDK Firestore emulator process on a loopback port: start it, stop it, start it again on
 * the same port, clear its data.
 *
 * <p>The emulator's JVM is started directly ({@code java -cp cloud-firestore-emulator.jar ...}),
 * not through the {@code gcloud} wrapper script, so that the process this class holds is the
 * emulator itself and stopping it leaves nothing behind. Every instance also registers a JVM
 * shutdown hook that stops the process, so a test run that ends abruptly does not leak it.
 *
 * <p>Most tests want {@link FirestoreEmulatorExtension} instead; use this class directly to stop
 * and restart the emulator in the middle of a test.
 *
 * <p>Thread-safe: the lifecycle methods are synchronized.
 */
public final class FirestoreEmulator implements AutoCloseable {
  /** Path of the emulator jar below the Cloud SDK root. */
  public static final String JAR_IN_SDK =
      "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";

  /** What the emulator prints once it accepts requests. */
  static final String READY_LINE = "Dev App Server is now running";

  private static final Logger log = LoggerFactory.getLogger(FirestoreEmulator.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES_KEPT = 40;

  private final Path jar;
  private final int port;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private boolean hookRegistered;

  private FirestoreEmulator(Path jar, int port) {
    this.jar = jar;
    this.port = port;
    this.shutdownHook = new Thread(this::stopQuietly, "firestore-emulator-shutdown");
  }

  /**
   * Starts the emulator from {@code jar} on a free loopback port and waits until it is ready.
   *
   * @param jar the {@code cloud-firestore-emulator.jar} of a Cloud SDK installation
   * @return the running emulator; {@link #close()} stops it
   * @throws IllegalArgumentException if {@code jar} is not a readable file
   * @throws IllegalStateException if the emulator did not become ready within 90 seconds; the
   *     message holds its last output lines
   */
  public static FirestoreEmulator start(Path jar) {
    requireNonNull(jar, "jar");
    if (!Files.isReadable(jar)) {
      throw new IllegalArgumentException("not a readable emulator jar: " + jar);
    }
    IllegalStateException last = null;
    // A free port found now may be taken before the emulator binds it; a few attempts cover that.
    for (int attempt = 0; attempt < 3; attempt++) {
      FirestoreEmulator emulator = new FirestoreEmulator(jar, freeLoopbackPort());
      try {
        emulator.startProcess();
        return emulator;
      } catch (IllegalStateException e) {
        emulator.stop();
        last = e;
      }
    }
    throw last;
  }

  /**
   * Returns the emulator jar of the Cloud SDK on this machine, if there is one: the SDK root is
   * asked of {@code gcloud info --format=value(installation.sdk_root)}.
   */
  public static Optional<Path> findCloudSdkJar() {
    return sdkRoot().map(root -> root.resolve(JAR_IN_SDK)).filter(Files::isReadable);
  }

  private static Optional<Path> sdkRoot() {
    try {
      Process gcloud =
          new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
              .redirectErrorStream(true)
              .start();
      gcloud.getOutputStream().close();
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(gcloud.getInputStream().readAllBytes(), UTF_8).strip();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      if (!gcloud.waitFor(30, TimeUnit.SECONDS)) {
        gcloud.destroyForcibly();
        log.warn("gcloud info did not answer within 30 s; not using the Cloud SDK emulator");
        return Optional.empty();
      }
      String root = out.get(5, TimeUnit.SECONDS);
      if (gcloud.exitValue() != 0 || root.isEmpty() || root.contains("\n")) {
        return Optional.empty();
      }
      return Optional.of(Path.of(root));
    } catch (IOException | ExecutionException | TimeoutException e) {
      // gcloud is not installed or not on PATH.
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Returns {@code 127.0.0.1:port}, the value for {@code FIRESTORE_EMULATOR_HOST}. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** Returns whether the emulator process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Stops the emulator and waits until its process has exited; all data is lost. Does nothing if it
   * is not running.
   */
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
   * Starts the emulator again on the same port after {@link #stop()}, with no data, and waits until
   * it is ready. Clients made for {@link #hostPort()} before the stop reconnect by themselves,
   * after gRPC's reconnect backoff (which grows while the emulator is down, to seconds).
   *
   * @throws IllegalStateException if it is running, or did not become ready within 90 seconds
   */
  public synchronized void restart() {
    if (isRunning()) {
      throw new IllegalStateException("the emulator on " + hostPort() + " is still running");
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
        sleep(Duration.ofMillis(500));
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
    if (!isRunning()) {
      throw new IllegalStateException("the emulator on " + hostPort() + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run kill " + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling the emulator", e);
    }
  }

  /**
   * Deletes every document of {@code projectId}'s default database.
   *
   * @throws IllegalStateException if the emulator refused or could not be reached
   */
  public void clear(String projectId) {
    clear(hostPort(), projectId, http);
  }

  /**
   * Deletes every document of {@code projectId}'s default database on any emulator at {@code
   * hostPort}, through the emulator's REST endpoint.
   *
   * @throws IllegalStateException if the emulator refused or could not be reached
   */
  static void clear(String hostPort, String projectId, HttpClient http) {
    URI uri =
        URI.create(
            "http://"
                + hostPort
                + "/emulator/v1/projects/"
                + projectId
                + "/databases/(default)/documents");
    HttpRequest request =
        HttpRequest.newBuilder(uri).DELETE().timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "clearing " + uri + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not clear the Firestore emulator at " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while clearing " + uri, e);
    }
  }

  /** Stops the emulator; same as {@link #stop()}, and unregisters the shutdown hook. */
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
      log.warn("Could not stop the Firestore emulator on {}", hostPort(), e);
    }
  }

  /** Starts the process and waits for its ready line; called with the monitor held. */
  private void startProcess() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.language=en"); // the emulator supports English messages only
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(jar.toString());
    command.add("com.google.cloud.datastore.emulator.firestore.CloudFirestore");
    command.add("start");
    command.add("--host=127.0.0.1");
    command.add("--port=" + port);
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
    Thread reader =
        new Thread(() -> drain(p, ready, lastLines), "firestore-emulator-output-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Firestore emulator ready on {} (pid {})", hostPort(), p.pid());
    } catch (TimeoutException | ExecutionException e) {
      String output;
      synchronized (lastLines) {
        output = String.join("\n", lastLines);
      }
      throw new IllegalStateException(
          "the Firestore emulator on "
              + hostPort()
              + " did not print '"
              + READY_LINE
              + "' within "
              + START_TIMEOUT
              + (p.isAlive() ? "" : " (it exited with " + p.exitValue() + ")")
              + "; its last output:\n"
              + output,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Firestore emulator", e);
    }
  }

  /** Reads the process output to its end, so the pipe never fills and blocks the emulator. */
  private static void drain(Process p, CompletableFuture<Void> ready, Deque<String> lastLines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > OUTPUT_LINES_KEPT) {
            lastLines.removeFirst();
          }
        }
        if (line.contains(READY_LINE)) {
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

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FirestoreEmulator{" + hostPort() + ", running=" + isRunning() + "}";
  }
}
