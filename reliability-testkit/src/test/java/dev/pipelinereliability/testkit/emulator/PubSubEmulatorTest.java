package dev.pipelinereliability.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the Cloud SDK Pub/Sub emulator found on the machine, as CI does. */
class PubSubEmulatorTest {

  @Test
  void startsOnALoopbackPortAndLeavesNoProcessBehind() throws Exception {
    long pid;
    String hostPort;
    try (PubSubEmulator emulator = PubSubEmulator.start()) {
      hostPort = emulator.hostPort();
      assertThat(hostPort).startsWith("127.0.0.1:");
      assertThat(accepts(hostPort)).isTrue();
      pid = emulatorPid(hostPort);
    }

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(accepts(hostPort)).isFalse();
  }

  @Test
  void restartServesOnTheSamePort() {
    EmulatorProcess process =
        EmulatorProcess.start(
            "Pub/Sub emulator",
            port ->
                List.of(
                    "-jar",
                    PubSubEmulator.findCloudSdkJar().orElseThrow().toString(),
                    "--host=127.0.0.1",
                    "--port=" + port),
            "Server started");
    try {
      process.stop();
      assertThat(process.isRunning()).isFalse();
      assertThat(accepts(process.hostPort())).isFalse();

      process.restart();

      assertThat(process.isRunning()).isTrue();
      assertThat(accepts(process.hostPort())).isTrue();
      assertThatThrownBy(process::restart)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still running");
    } finally {
      process.close();
    }
  }

  @Test
  void anUnreadableJarIsRejectedNamingIt() {
    assertThatThrownBy(() -> PubSubEmulator.start(Path.of("/nonexistent/pubsub.jar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/pubsub.jar");
  }

  private static boolean accepts(String hostPort) {
    String[] parts = hostPort.split(":", -1);
    try (Socket socket = new Socket(parts[0], Integer.parseInt(parts[1]))) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static long emulatorPid(String hostPort) {
    String port = hostPort.substring(hostPort.indexOf(':') + 1);
    return ProcessHandle.current()
        .children()
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> String.join(" ", a).contains("--port=" + port))
                    .orElse(false))
        .findFirst()
        .orElseThrow()
        .pid();
  }
}
