package dev.pipelinereliability.examples.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {
  private static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put(FunctionConfig.PHASE, "phase3");
    env.put(FunctionConfig.PROCESSORS, "player_game_summary, team_offense_game_summary");
    env.put(FunctionConfig.TRIGGER_TOPIC, "phase4-trigger");
    return env;
  }

  @Test
  void readsTheVariablesWithDefaults() {
    FunctionConfig config = FunctionConfig.fromEnvironment(valid(), () -> "runtime-project");

    assertThat(config.projectId()).isEqualTo("runtime-project");
    assertThat(config.phase().phase()).isEqualTo("phase3");
    assertThat(config.phase().expected())
        .containsExactlyInAnyOrder("player_game_summary", "team_offense_game_summary");
    assertThat(config.triggerTopic()).isEqualTo("phase4-trigger");
    assertThat(config.rpcTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.firestoreEmulatorHost()).isEmpty();
    assertThat(config.pubSubEmulatorHost()).isEmpty();
  }

  @Test
  void theProjectVariableWinsOverGoogleCloudProjectAndTheRuntime() {
    Map<String, String> env = valid();
    env.put("GOOGLE_CLOUD_PROJECT", "from-google-cloud-project");
    assertThat(FunctionConfig.fromEnvironment(env, () -> "runtime").projectId())
        .isEqualTo("from-google-cloud-project");
    env.put(FunctionConfig.PROJECT, "explicit");
    assertThat(FunctionConfig.fromEnvironment(env, () -> "runtime").projectId())
        .isEqualTo("explicit");
  }

  @Test
  void aMissingVariableIsNamed() {
    Map<String, String> env = valid();
    env.remove(FunctionConfig.PROCESSORS);

    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env, () -> "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORCHESTRATOR_PROCESSORS is not set");
  }

  @Test
  void aMissingRequiredVariableIsReportedWithoutAskingTheRuntimeForTheProject() {
    Map<String, String> env = valid();
    env.remove(FunctionConfig.PHASE);

    assertThatThrownBy(
            () ->
                FunctionConfig.fromEnvironment(
                    env,
                    () -> {
                      throw new AssertionError("the metadata server was asked");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORCHESTRATOR_PHASE is not set");
  }

  @Test
  void noProjectAnywhereIsReported() {
    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(valid(), () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORCHESTRATOR_PROJECT is not set");
  }

  @Test
  void badValuesAreNamedWithTheirVariable() {
    Map<String, String> timeout = valid();
    timeout.put(FunctionConfig.RPC_TIMEOUT_SECONDS, "ten");
    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(timeout, () -> "p"))
        .hasMessageContaining("ORCHESTRATOR_RPC_TIMEOUT_SECONDS must be a whole number")
        .hasMessageContaining("'ten'");

    Map<String, String> duplicate = valid();
    duplicate.put(FunctionConfig.PROCESSORS, "a_table,a_table");
    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(duplicate, () -> "p"))
        .hasMessageContaining("ORCHESTRATOR_PROCESSORS='a_table,a_table'");

    Map<String, String> emulator = valid();
    emulator.put(FunctionConfig.FIRESTORE_EMULATOR_HOST, "localhost");
    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(emulator, () -> "p"))
        .hasMessageContaining("FIRESTORE_EMULATOR_HOST must be host:port, but was 'localhost'");

    Map<String, String> topic = valid();
    topic.put(FunctionConfig.TRIGGER_TOPIC, "projects/p/topics/t");
    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(topic, () -> "p"))
        .hasMessageContaining("ORCHESTRATOR_TRIGGER_TOPIC must be a Pub/Sub topic id")
        .hasMessageContaining("'projects/p/topics/t'");
  }
}
