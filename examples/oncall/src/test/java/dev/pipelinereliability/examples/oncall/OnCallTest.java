package dev.pipelinereliability.examples.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Command lines refused before any store is contacted: the emulator addresses point at a port
 * nothing listens on, so a command that got as far as a store would exit 2, not 64.
 */
class OnCallTest {
  private static final Map<String, String> NO_STORE =
      Map.of("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9", "PUBSUB_EMULATOR_HOST", "127.0.0.1:9");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return OnCall.run(
        args,
        env,
        Clock.fixed(Instant.parse("2026-02-04T14:00:00Z"), ZoneOffset.UTC),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheCommandsAndExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("reconcile", "locks", "completion", "health", "generate-completion");
  }

  @Test
  void aMissingOrUnknownCommandIsAUsageError() {
    assertThat(run(NO_STORE)).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("missing command");
    assertThat(run(NO_STORE, "lokcs")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("lokcs");
    assertThat(run(NO_STORE, "locks")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("Missing required subcommand");
  }

  @Test
  void writingCommandsRequireAReason() {
    assertThat(run(NO_STORE, "reconcile", "--fix")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--reason TEXT is required");
    assertThat(run(NO_STORE, "locks", "release", "phase3", "2026-02-03")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--reason");
    assertThat(run(NO_STORE, "completion", "force-trigger", "phase3", "2026-02-03"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--reason");
    assertThat(run(NO_STORE, "reconcile", "--reason", "x")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("go with --fix");
  }

  @Test
  void badValuesAreNamed() {
    assertThat(run(NO_STORE, "reconcile", "--phase", "phase9")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("'phase9'").contains("[phase3, phase4]");
    assertThat(run(NO_STORE, "reconcile", "--days", "0")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--days takes a whole number from 1 to 366, but was 0");
    assertThat(run(NO_STORE, "reconcile", "--from", "2026-02-03")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--from and --to together");
    assertThat(run(NO_STORE, "reconcile", "--from", "2026-02-05", "--to", "2026-02-03"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("is before from");
    assertThat(run(NO_STORE, "completion", "show", "phase3", "2026-02-30")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("'2026-02-30'");
    assertThat(run(NO_STORE, "locks", "release", "Phase 3!", "k", "--reason", "x"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("'Phase 3!'");
    assertThat(run(NO_STORE, "health", "--only", "locks,nonsense")).isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("nonsense");
  }

  @Test
  void emulatorAddressesMustBeLocalHostPorts() {
    assertThat(run(Map.of(), "--firestore-emulator", "localhost", "locks", "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("--firestore-emulator must be HOST:PORT, but was 'localhost'");
    assertThat(run(Map.of(), "--pubsub-emulator", "pubsub.googleapis.com:443", "locks", "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("is production");
    assertThat(
            run(
                Map.of(),
                "--bigquery-endpoint",
                "https://bigquery.googleapis.com",
                "locks",
                "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("is production");
    assertThat(run(Map.of(), "--bigquery-endpoint", "localhost:9050", "locks", "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("http(s)://HOST[:PORT]");
  }

  @Test
  void aLocalRunWithoutBigQueryRefusesTheBigQueryChecks() {
    assertThat(run(NO_STORE, "health")).isEqualTo(OnCall.USAGE);
    assertThat(err())
        .contains("this run is local (firestore emulator 127.0.0.1:9")
        .contains("--bigquery-endpoint URL, or --only locks,completion");
  }

  @Test
  void anUnreadablePipelineFileIsAUsageErrorNamingIt() {
    assertThat(run(NO_STORE, "--pipeline", "/nonexistent/pipeline.yaml", "locks", "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("/nonexistent/pipeline.yaml: cannot be read");
    assertThat(run(Map.of("ONCALL_PIPELINE", "/nonexistent/p.yaml"), "locks", "list"))
        .isEqualTo(OnCall.USAGE);
    assertThat(err()).contains("/nonexistent/p.yaml");
  }
}
