package dev.pipelinereliability.testkit.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the Cloud SDK installed on this machine. Stateless and thread-safe. */
public final class CloudSdk {
  private static final Logger log = LoggerFactory.getLogger(CloudSdk.class);

  private CloudSdk() {}

  /**
   * Returns the SDK root, as {@code gcloud info --format=value(installation.sdk_root)} reports it,
   * or empty when {@code gcloud} is not installed or does not answer within 30 s.
   *
   * @return the SDK root, as {@code gcloud info --format=value(installation.sdk_root)} reports it,
   *     or empty when {@code gcloud} is not installed or does not answer within 30 s
   */
  public static Optional<Path> root() {
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
        log.warn("gcloud info did not answer within 30 s; not using the Cloud SDK emulators");
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
}
