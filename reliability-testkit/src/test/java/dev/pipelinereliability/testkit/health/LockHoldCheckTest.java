package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.locks.LockHoldCheck;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockHoldCheckTest {
  private static final Duration MAX_HOLD = Duration.ofMinutes(30);

  /** A lease longer than every hold in these tests, standing in for a renewed lease. */
  private static final LockOptions LONG_LEASE =
      LockOptions.ofDefaults().withLeaseDuration(Duration.ofHours(3));

  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock locks = new InMemoryDistributedLock(clock);
  private final List<LockHandle> handles = new ArrayList<>();

  private void hold(String type, String key) {
    handles.add(locks.tryAcquire(LockKey.of(type, key), LONG_LEASE).orElseThrow());
  }

  @AfterEach
  void releaseAll() {
    handles.forEach(LockHandle::close);
  }

  private LockHoldCheck checkOf() {
    return new LockHoldCheck(locks, "phase3", MAX_HOLD, clock);
  }

  private CheckResult check() {
    return checkOf().run();
  }

  /** A holder that dies: its 10-minute lease runs out and nobody releases it. */
  private void crashWhileHolding(String type, String key) {
    assertThat(locks.tryAcquire(LockKey.of(type, key), LockOptions.ofDefaults())).isPresent();
    clock.advance(Duration.ofMinutes(11));
  }

  @Test
  void aLockAbandonedByADeadHolderIsAWarningNamingItUntilARetryTakesIt() {
    crashWhileHolding("phase3", "2024-11-20");
    crashWhileHolding("grading", "2024-11-20");
    hold("phase3", "2024-11-21");

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.WARN);
    assertThat(result.message())
        .startsWith("1 phase3 locks abandoned in the last 1d")
        .contains("phase3/2024-11-20")
        .contains("lease ran out at 2024-11-20T");
    assertThat(result.details())
        .containsEntry("abandoned", "1")
        .containsEntry("held", "1")
        .containsKey("phase3/2024-11-20");
    assertThat(result.details().get("phase3/2024-11-20")).startsWith("abandoned: lease ran out");

    hold("phase3", "2024-11-20"); // the retry takes the lock over
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
  }

  @Test
  void aLockAbandonedLongerAgoThanTheWindowIsNotReported() {
    crashWhileHolding("phase3", "2024-11-20");

    // The lease ran out a minute ago.
    assertThat(checkOf().withAbandonedWindow(Duration.ofSeconds(30)).run().status())
        .isEqualTo(HealthStatus.OK);
    assertThat(checkOf().withAbandonedWindow(Duration.ZERO).run().status())
        .isEqualTo(HealthStatus.OK);
    assertThat(checkOf().withAbandonedWindow(Duration.ofMinutes(1)).run().details())
        .containsEntry("abandoned", "0");
    assertThat(checkOf().withAbandonedWindow(Duration.ofMinutes(2)).run().details())
        .containsEntry("abandoned", "1");
    clock.advance(Duration.ofHours(24));
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
  }

  @Test
  void aLockHeldTooLongStillFailsWhenOthersWereAbandoned() {
    crashWhileHolding("phase3", "2024-11-19");
    hold("phase3", "2024-11-20");
    clock.advance(MAX_HOLD.plusMinutes(1));

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.details()).containsEntry("abandoned", "1").containsEntry("heldTooLong", "1");
  }

  @Test
  void anAdminThatCannotListAbandonedLocksStillGetsTheHoldCheck() {
    hold("phase3", "2024-11-20");
    LockAdmin older =
        new LockAdmin() {
          @Override
          public List<LockInfo> listHeld() {
            return locks.listHeld();
          }

          @Override
          public boolean forceRelease(LockKey key, String reason) {
            throw new UnsupportedOperationException();
          }
        };

    CheckResult result = new LockHoldCheck(older, "phase3", MAX_HOLD, clock).run();

    assertThat(result.status()).isEqualTo(HealthStatus.OK);
    assertThat(result.details().get("abandoned")).startsWith("unknown (");
  }

  @Test
  void aNegativeAbandonedWindowIsRejectedWithTheValue() {
    assertThatThrownBy(() -> checkOf().withAbandonedWindow(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1H");
  }

  @Test
  void noHeldLocksIsOk() {
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
  }

  @Test
  void aLockHeldJustUnderAndExactlyTheMaximumIsOk() {
    hold("phase3", "2024-11-20");
    clock.advance(MAX_HOLD.minusSeconds(1));
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
    clock.advance(Duration.ofSeconds(1));
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
  }

  @Test
  void aLockHeldJustOverTheMaximumFailsNamingTheLockAndOwner() {
    hold("phase3", "2024-11-20");
    String owner = handles.get(0).ownerId();
    clock.advance(MAX_HOLD.plusSeconds(1));

    CheckResult result = check();

    assertThat(result.status()).isEqualTo(HealthStatus.FAIL);
    assertThat(result.message())
        .startsWith(
            "1 of 1 phase3 locks held longer than 30m; longest: phase3/2024-11-20 held 30m1s by "
                + owner);
    assertThat(result.details()).containsKey("phase3/2024-11-20");
    assertThat(result.details().get("phase3/2024-11-20")).contains("PT30M1S", owner);
  }

  @Test
  void theLongestHeldLockIsNamedFirst() {
    hold("phase3", "2024-11-21");
    clock.advance(Duration.ofMinutes(10));
    hold("phase3", "2024-11-20");
    clock.advance(Duration.ofMinutes(25));
    hold("phase3", "2024-11-22");

    CheckResult result = check();

    assertThat(result.message())
        .startsWith("1 of 3 phase3 locks")
        .contains("phase3/2024-11-21 held 35m");
  }

  @Test
  void locksOfOtherTypesAreIgnored() {
    hold("grading", "2024-11-20");
    clock.advance(Duration.ofHours(2));
    assertThat(check().status()).isEqualTo(HealthStatus.OK);
    assertThat(check().details()).containsEntry("held", "0");
  }

  @Test
  void anUnreachableLockStoreIsAnErrorThatExitsTwo() {
    LockAdmin down =
        new LockAdmin() {
          @Override
          public List<LockInfo> listHeld() {
            throw new LockUnavailableException(
                LockKey.of("phase3", "*"),
                "listing held locks",
                new RuntimeException("UNAVAILABLE"));
          }

          @Override
          public List<LockInfo> listAbandoned() {
            return listHeld();
          }

          @Override
          public boolean forceRelease(LockKey key, String reason) {
            throw new UnsupportedOperationException();
          }
        };

    HealthReport report =
        HealthCheckRunner.builder()
            .addCheck(new LockHoldCheck(down, "phase3", MAX_HOLD, clock))
            .build()
            .run();

    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.results().get(0).details().get("rootCause")).contains("UNAVAILABLE");
  }

  @Test
  void invalidConfigurationIsRejectedWithTheValue() {
    assertThatThrownBy(() -> new LockHoldCheck(locks, "Phase 3", MAX_HOLD, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Phase 3'");
    assertThatThrownBy(() -> new LockHoldCheck(locks, "phase3", Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }
}
