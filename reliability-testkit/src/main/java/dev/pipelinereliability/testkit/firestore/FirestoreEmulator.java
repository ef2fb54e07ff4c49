package dev.pipelinereliability.testkit.firestore;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.testkit.emulator.CloudSdk;
import dev.pipelinereliability.testkit.emulator.EmulatorProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One Cloud SDK Firestore emulator process on a loopback port: start it, stop it, start it again on
 * the same port, clear its data.
 *
 * <p>The emulator's JVM is started directly ({@code java -cp cloud-firestore-emulator.jar ...}),
 * not through the {@code gcloud} wrapper script, so that the process this class holds is the
 * emulator itself and stopping it leaves nothing behind; {@link EmulatorProcess} also stops it from
 * a JVM shutdown hook, so a test run that ends abruptly does not leak it.
 *
 * <p>Most tests want {@link FirestoreEmulatorExtension} instead; use this class directly to stop
 * and restart the emulator in the middle of a test.
 *
 * <p>Thread-safe: the lifecycle is serialised by the underlying {@link EmulatorProcess}.
 */
public final class FirestoreEmulator implements AutoCloseable {
  /** Path of the emulator jar below the Cloud SDK root. */
  public static final String JAR_IN_SDK =
      "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";

  /** What the emulator prints once it accepts requests. */
  static final String READY_LINE = "Dev App Server is now running";

  private final EmulatorProcess process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private FirestoreEmulator(EmulatorProcess process) {
    this.process = process;
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
    return new FirestoreEmulator(
        EmulatorProcess.start(
            "Firestore emulator",
            port ->
                List.of(
                    "-Duser.language=en", // the emulator supports English messages only
                    "-Xmx512m",
                    "-cp",
                    jar.toString(),
                    "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
                    "start",
                    "--host=127.0.0.1",
                    "--port=" + port),
            READY_LINE));
  }

  /**
   * Returns the emulator jar of the Cloud SDK on this machine, if there is one: the SDK root is
   * asked of {@code gcloud info --format=value(installation.sdk_root)}.
   *
   * @return the emulator jar of the Cloud SDK on this machine, if there is one: the SDK root is
   *     asked of {@code gcloud info --format=value(installation.sdk_root)}
   */
  public static Optional<Path> findCloudSdkJar() {
    return CloudSdk.root().map(root -> root.resolve(JAR_IN_SDK)).filter(Files::isReadable);
  }

  /**
   * Returns {@code 127.0.0.1:port}, the value for {@code FIRESTORE_EMULATOR_HOST}.
   *
   * @return {@code 127.0.0.1:port}, the value for {@code FIRESTORE_EMULATOR_HOST}
   */
  public String hostPort() {
    return process.hostPort();
  }

  /**
   * Returns whether the emulator process is alive.
   *
   * @return whether the emulator process is alive
   */
  public boolean isRunning() {
    return process.isRunning();
  }

  /**
   * Stops the emulator and waits until its process has exited; all data is lost. Does nothing if it
   * is not running.
   */
  public void stop() {
    process.stop();
  }

  /**
   * Starts the emulator again on the same port after {@link #stop()}, with no data, and waits until
   * it is ready. Clients made for {@link #hostPort()} before the stop reconnect by themselves,
   * after gRPC's reconnect backoff (which grows while the emulator is down, to seconds).
   *
   * @throws IllegalStateException if it is running, or did not become ready within 90 seconds
   */
  public void restart() {
    process.restart();
  }

  /**
   * Freezes the emulator process ({@code kill -STOP}): it keeps its port and data but answers
   * nothing, as a store that hangs would. Undo with {@link #resume()}; {@link #stop()} also works
   * on a paused emulator. Needs a POSIX {@code kill} command.
   *
   * @throws IllegalStateException if it is not running or could not be paused
   */
  public void pause() {
    process.pause();
  }

  /**
   * Lets a {@linkplain #pause() paused} emulator run again, with its data as it was.
   *
   * @throws IllegalStateException if it is not running or could not be resumed
   */
  public void resume() {
    process.resume();
  }

  /**
   * Deletes every document of {@code projectId}'s default database.
   *
   * @param projectId the project id
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

  /** Stops the emulator, as {@link #stop()}; nothing is left running. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "FirestoreEmulator{" + hostPort() + ", running=" + isRunning() + "}";
  }
}
