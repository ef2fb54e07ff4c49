package dev.pipelinereliability.testkit.firestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirestoreEmulatorTest {

  @Test
  void stopLeavesNoProcessOrListenerAndRestartServesTheSamePortEmpty() throws Exception {
    Optional<Path> jar = FirestoreEmulator.findCloudSdkJar();
    assumeThat(jar)
        .as("this test drives the Cloud SDK emulator process; none is installed here")
        .isPresent();
    try (FirestoreEmulator emulator = FirestoreEmulator.start(jar.get())) {
      Firestore client = client(emulator, "restart-test");
      client.collection("c").document("d").set(Map.of("v", 1L)).get(30, TimeUnit.SECONDS);
      String hostPort = emulator.hostPort();

      emulator.stop();

      assertThat(emulator.isRunning()).isFalse();
      assertThat(accepts(hostPort)).as("port %s after stop", hostPort).isFalse();

      emulator.restart();

      assertThat(emulator.hostPort()).isEqualTo(hostPort);
      assertThat(accepts(hostPort)).isTrue();
      assertThat(client.collection("c").document("d").get().get(30, TimeUnit.SECONDS).exists())
          .as("data after restart")
          .isFalse();
      client.close();
    }
  }

  @Test
  void clearDeletesEveryDocumentOfTheProject() throws Exception {
    Optional<Path> jar = FirestoreEmulator.findCloudSdkJar();
    assumeThat(jar).as("needs the Cloud SDK emulator; none is installed here").isPresent();
    // The extension's emulator would do, but this class must also work on its own.
    try (FirestoreEmulator emulator = FirestoreEmulator.start(jar.get())) {
      Firestore client = client(emulator, "clear-test");
      client.collection("c").document("d").set(Map.of("v", 1L)).get(30, TimeUnit.SECONDS);

      emulator.clear("clear-test");

      assertThat(client.collection("c").get().get(30, TimeUnit.SECONDS).isEmpty()).isTrue();
      client.close();
    }
  }

  private static Firestore client(FirestoreEmulator emulator, String project) {
    return FirestoreOptions.newBuilder()
        .setProjectId(project)
        .setEmulatorHost(emulator.hostPort())
        .build()
        .getService();
  }

  private static boolean accepts(String hostPort) {
    String[] parts = hostPort.split(":", -1);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
