package dev.pipelinereliability.examples.function.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function served by the Functions Framework invoker ({@code
 * com.google.cloud.functions.invoker.runner.Invoker}) in a JVM of its own, as Cloud Functions runs
 * it: the invoker's classes on the JVM's classpath, the function's classes and dependencies given
 * with the invoker's {@code --classpath} option, so that they load in a class loader of their own
 * that sees only the Functions Framework and CloudEvents API of the invoker (the invoker's {@code
 * OnlyApiClassLoader}; see Invoker.java and its README,
 * GoogleCloudPlatform/functions-framework-java tag java-function-invoker-v1.4.3). The invoker
 * listens on {@code --port} and hands every request to {@code --target}.
 *
 * <p>{@link #close()} stops the JVM and waits for it; a JVM shutdown hook also stops it, so a test
 * run that ends abruptly leaves nothing behind.
 *
 * <p>Thread-safe.
 */
public final class LocalFunction implements AutoCloseable {
  /** The invoker's main class, in java-function-invoker 1.4.x. */
  public static final String INVOKER_MAIN = "com.google.cloud.functions.invoker.runner.Invoker";

  private final Process process;
  private final int port;
  private final long startedNanos;

  @SuppressWarnings("JdkObsolete") // written by the reader thread, read by callers: needs the lock
  private final StringBuffer output = new StringBuffer();

  private final Thread outputReader;
  private final Thread shutdownHook;

  private LocalFunction(Process process, int port, long startedNanos) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
    this.outputReader = new Thread(this::readOutput, "local-function-output");
    this.outputReader.setDaemon(true);
    this.outputReader.start();
    this.shutdownHook = new Thread(process::destroyForcibly, "local-function-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a JVM serving {@code target} on a free loopback port and returns at once; {@link
   * #awaitListening(Duration)} waits until it accepts connections.
   *
   * @param target the function class, e.g. {@code ...OrchestratorFunction}
   * @param invokerClasspath the JVM's classpath: the invoker and its dependencies
   * @param functionClasspath the function's classes and runtime dependencies
   * @param environment variables added to this JVM's environment (the function's configuration)
   * @param jvmOptions options placed before the main class, e.g. {@code -Xlog:class+load}
   * @return the started function
   * @throws IllegalArgumentException if a classpath is empty
   * @throws UncheckedIOException if the JVM cannot be started
   */
  public static LocalFunction start(
      String target,
      String invokerClasspath,
      String functionClasspath,
      Map<String, String> environment,
      List<String> jvmOptions) {
    requireNonNull(target, "target");
    requireNonNull(environment, "environment");
    requireNonNull(jvmOptions, "jvmOptions");
    if (requireNonNull(invokerClasspath, "invokerClasspath").isBlank()) {
      throw new IllegalArgumentException("invokerClasspath is empty");
    }
    if (requireNonNull(functionClasspath, "functionClasspath").isBlank()) {
      throw new IllegalArgumentException("functionClasspath is empty");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            invokerClasspath,
            INVOKER_MAIN,
            "--target",
            target,
            "--port",
            Integer.toString(port),
            "--classpath",
            functionClasspath));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    long started = System.nanoTime();
    try {
      return new LocalFunction(builder.start(), port, started);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the invoker for " + target, e);
    }
  }

  /**
   * Returns a function classpath: {@code classes} followed by the entries of {@code classpathFile},
   * the file maven-dependency-plugin's {@code build-classpath} goal writes.
   *
   * @param classes the function's compiled classes (a directory or jar)
   * @param classpathFile a file holding one classpath in this platform's syntax
   * @return the classpath
   * @throws UncheckedIOException if the file cannot be read
   */
  public static String functionClasspath(Path classes, Path classpathFile) {
    try {
      return classes + File.pathSeparator + Files.readString(classpathFile, UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + classpathFile, e);
    }
  }

  /**
   * Waits until the invoker accepts connections, polling every 2 ms.
   *
   * @param timeout how long to wait
   * @return the time from starting the JVM until it accepted a connection
   * @throws IllegalStateException if the JVM exited or did not listen in time; the message holds
   *     its output
   * @throws InterruptedException if interrupted while waiting
   */
  public Duration awaitListening(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        return Duration.ofNanos(System.nanoTime() - startedNanos);
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the invoker exited with " + process.exitValue() + ":\n" + output());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the invoker did not listen within " + timeout + ":\n" + output());
        }
        Thread.sleep(2);
      }
    }
  }

  /**
   * Returns the function's URL.
   *
   * @return {@code http://127.0.0.1:<port>/}
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /**
   * Returns when the JVM was started: the origin of a cold start.
   *
   * @return {@link System#nanoTime()} just before the JVM was started
   */
  public long startedNanos() {
    return startedNanos;
  }

  /**
   * Returns everything the JVM printed so far.
   *
   * @return standard output and error, interleaved as printed
   */
  public String output() {
    return output.toString();
  }

  /**
   * Returns whether the JVM is still running.
   *
   * @return true until it exited
   */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the JVM (as the platform does, with SIGTERM, then SIGKILL after 10 s) and waits. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it stops the process anyway.
    }
  }

  private void readOutput() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      output.append("[output unreadable: ").append(e).append("]\n");
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * Returns {@code base} plus the entries of {@code extra}; a convenience for building the
   * environment of {@link #start}.
   *
   * @param base variables
   * @param extra variables that override {@code base}
   * @return a new map
   */
  public static Map<String, String> environment(
      Map<String, String> base, Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(base);
    all.putAll(extra);
    return all;
  }
}
