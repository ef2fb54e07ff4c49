package dev.pipelinereliability.testkit.firestore;

import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension.EmulatorEndpoint;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.FirestoreEmulatorContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers path of {@link FirestoreEmulatorExtension}. Kept in its own class so that the
 * extension loads without Testcontainers on the class path: this class is touched only after a
 * check that it is there.
 */
final class TestcontainersFirestore {
  /** The Cloud SDK image with the emulators, as Testcontainers' own documentation uses it. */
  static final String IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators";

  private static final Logger log = LoggerFactory.getLogger(TestcontainersFirestore.class);

  private TestcontainersFirestore() {}

  /** Starts the container emulator if Testcontainers is on the class path and Docker runs. */
  static Optional<EmulatorEndpoint> startIfDockerIsReachable() {
    try {
      Class.forName(
          "org.testcontainers.containers.FirestoreEmulatorContainer",
          false,
          TestcontainersFirestore.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      log.info("Testcontainers gcloud is not on the class path; no container emulator");
      return Optional.empty();
    }
    return Docker.start();
  }

  /** Touches Testcontainers classes; loaded only once they are known to exist. */
  private static final class Docker {
    static Optional<EmulatorEndpoint> start() {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        log.info("No Docker engine is reachable; no container emulator");
        return Optional.empty();
      }
      FirestoreEmulatorContainer container =
          new FirestoreEmulatorContainer(DockerImageName.parse(IMAGE));
      container.start();
      return Optional.of(
          new EmulatorEndpoint(
              container.getEmulatorEndpoint(), "Testcontainers " + IMAGE, container::stop));
    }
  }
}
