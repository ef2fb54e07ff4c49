package dev.pipelinereliability.testkit.firestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension.EmulatorEndpoint;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirestoreEmulatorExtensionTest {
  @RegisterExtension
  static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();

  @Test
  @Order(1)
  void clientWritesAndAnIndependentClientReadsTheSameData() throws Exception {
    Firestore writer = EMULATOR.firestore();
    Firestore reader = EMULATOR.newClient();

    writer.collection("things").document("a").set(Map.of("n", 1L)).get();
    DocumentSnapshot read = reader.collection("things").document("a").get().get();

    assertThat(reader).isNotSameAs(writer);
    assertThat(read.getLong("n")).isEqualTo(1L);
    assertThat(writer.getOptions().getProjectId()).isEqualTo(EMULATOR.projectId());
  }

  @Test
  @Order(2)
  void dataIsClearedBeforeEachTest() throws Exception {
    DocumentSnapshot read = EMULATOR.firestore().collection("things").document("a").get().get();

    assertThat(read.exists()).as("document written by the previous test").isFalse();
  }

  @Test
  @Order(3)
  void hostPortIsALoopbackOrConfiguredEmulator() {
    String env = System.getenv(FirestoreEmulatorExtension.EMULATOR_HOST_ENV);
    if (env != null && !env.isBlank()) {
      assertThat(EMULATOR.hostPort()).isEqualTo(env.strip());
    } else {
      assertThat(EMULATOR.hostPort()).matches("(127\\.0\\.0\\.1|localhost|[\\w.-]+):\\d+");
    }
  }

  @Test
  void anEmulatorHostFromTheEnvironmentIsUsedAsGivenAndNeverStopped() throws Exception {
    EmulatorEndpoint endpoint =
        EmulatorEndpoint.resolve(
            "  somehost:1234 ",
            () -> {
              throw new AssertionError("must not look for the Cloud SDK");
            },
            () -> {
              throw new AssertionError("must not try Docker");
            });

    assertThat(endpoint.hostPort()).isEqualTo("somehost:1234");
    endpoint.close(); // nothing of ours to stop
  }

  @Test
  void withNoEmulatorAnywhereItFailsSayingHowToInstallOne() {
    assertThatThrownBy(() -> EmulatorEndpoint.resolve(null, Optional::empty, Optional::empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gcloud components install cloud-firestore-emulator")
        .hasMessageContaining("google-cloud-cli-firestore-emulator")
        .hasMessageContaining("FIRESTORE_EMULATOR_HOST");
  }
}
