package dev.pipelinereliability.testkit.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Cloud SDK's Pub/Sub emulator, started on a free loopback port. Point clients at {@link
 * #hostPort()} (as {@code PUBSUB_EMULATOR_HOST} would) with a plaintext channel and no credentials.
 * Close it to stop the process.
 *
 * <p>Thread-safe.
 */
public final class PubSubEmulator implements AutoCloseable {
  /** Folder of the emulator jar below the Cloud SDK root. */
  public static final String LIB_IN_SDK = "platform/pubsub-emulator/lib";

  private final EmulatorProcess process;

  private PubSubEmulator(EmulatorProcess process) {
    this.process = process;
  }

  /**
   * Starts the emulator found in the Cloud SDK on this machine.
   *
   * @return the running emulator; close it to stop it
   * @throws IllegalStateException if no Cloud SDK with the Pub/Sub emulator is installed (the
   *     message says how to install it) or it does not start within 90 s
   */
  public static PubSubEmulator start() {
    Path jar =
        findCloudSdkJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Pub/Sub emulator found: install the Cloud SDK and run"
                            + " 'gcloud components install pubsub-emulator' (or apt-get install"
                            + " google-cloud-cli-pubsub-emulator)"));
    return start(jar);
  }

  /**
   * Starts the emulator from {@code jar}.
   *
   * @param jar the jar
   * @return the running emulator; close it to stop it
   * @throws IllegalArgumentException if {@code jar} is not readable
   * @throws IllegalStateException if it does not start within 90 s
   */
  public static PubSubEmulator start(Path jar) {
    if (!Files.isReadable(jar)) {
      throw new IllegalArgumentException("not a readable Pub/Sub emulator jar: " + jar);
    }
    return new PubSubEmulator(
        EmulatorProcess.start(
            "Pub/Sub emulator",
            port ->
                List.of("-Xmx256m", "-jar", jar.toString(), "--host=127.0.0.1", "--port=" + port),
            "Server started"));
  }

  /**
   * The emulator jar of the Cloud SDK on this machine, if installed.
   *
   * @return the emulator jar of the Cloud SDK on this machine, if installed
   */
  public static Optional<Path> findCloudSdkJar() {
    return CloudSdk.root()
        .map(root -> root.resolve(LIB_IN_SDK))
        .filter(Files::isDirectory)
        .flatMap(
            lib -> {
              try (Stream<Path> files = Files.list(lib)) {
                return files
                    .filter(
                        f -> f.getFileName().toString().matches("cloud-pubsub-emulator-.*\\.jar"))
                    .findFirst();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * {@code 127.0.0.1:port}.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String hostPort() {
    return process.hostPort();
  }

  /** Stops the emulator; nothing is left running. */
  @Override
  public void close() {
    process.close();
  }
}
