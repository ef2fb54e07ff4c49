package dev.pipelinereliability.examples.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsCliTest {
  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(LockAdmin admin, String... args) {
    OpsBackends backends = () -> admin;
    return new OpsCli(
            backends,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void locksListShowsEveryLiveLockWithItsOwnerAndToken() {
    LockHandle held =
        locks.tryAcquire(LockKey.of("phase3", "team_offense/2026-02-03")).orElseThrow();

    assertThat(run(locks, "locks", "list")).isEqualTo(OpsCli.OK);

    assertThat(out())
        .contains("phase3/team_offense/2026-02-03")
        .contains(held.ownerId())
        .contains(String.valueOf(held.fencingToken()));
  }

  @Test
  void locksListAsJsonNamesTheFields() {
    locks.tryAcquire(LockKey.of("grading", "2026-02-03")).orElseThrow();

    assertThat(run(locks, "locks", "list", "--json")).isEqualTo(OpsCli.OK);

    assertThat(out()).startsWith("[{\"type\":\"grading\",\"key\":\"2026-02-03\",\"owner\":");
  }

  @Test
  void locksReleaseFreesTheLockAndTheHolderLearnsWhy() {
    LockHandle stuck = locks.tryAcquire(LockKey.of("grading", "2026-02-03")).orElseThrow();

    int code = run(locks, "locks", "release", "grading", "2026-02-03", "--reason", "pod evicted");

    assertThat(code).isEqualTo(OpsCli.OK);
    assertThat(out()).contains("released grading/2026-02-03 (pod evicted)");
    assertThatThrownBy(stuck::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("pod evicted");
    assertThat(locks.tryAcquire(LockKey.of("grading", "2026-02-03"))).isPresent();
  }

  @Test
  void releasingAFreeLockIsReportedAsAnIssue() {
    assertThat(run(locks, "locks", "release", "grading", "2026-02-03", "--reason", "x"))
        .isEqualTo(OpsCli.ISSUES);
    assertThat(out()).contains("was not held");
  }

  @Test
  void badArgumentsGetAUsageErrorNamingTheProblem() {
    assertThat(run(locks)).isEqualTo(OpsCli.USAGE);
    assertThat(run(locks, "lokcs")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("unknown command 'lokcs'").contains("usage:");
    assertThat(run(locks, "locks", "release", "grading", "2026-02-03")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--reason is required");
    assertThat(run(locks, "locks", "release", "Grading!", "2026-02-03", "--reason", "x"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("'Grading!'");
    assertThat(run(locks, "locks", "list", "--jsn")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("unknown option --jsn");
  }

  @Test
  void anUnreachableStoreExitsTwo() {
    LockAdmin down =
        new LockAdmin() {
          @Override
          public List<dev.pipelinereliability.lock.LockInfo> listHeld() {
            throw new LockUnavailableException(
                LockKey.of("admin", "list"), "listing", new RuntimeException("UNAVAILABLE"));
          }

          @Override
          public boolean forceRelease(LockKey key, String reason) {
            throw new AssertionError("not called");
          }
        };

    assertThat(run(down, "locks", "list")).isEqualTo(OpsCli.COULD_NOT_CHECK);
    assertThat(err()).contains("could not check").contains("UNAVAILABLE");
  }
}
