package dev.pipelinereliability.testkit.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every {@link LockAdmin} promises, run against a store that a {@link
 * DistributedLock} of the same backend writes. A backend's test extends this class and supplies
 * {@link #newInstance()}, {@link #admin()} and {@link #elapse(Duration)}, as for {@link
 * DistributedLockContract}.
 *
 * <p>Each test uses keys of its own and looks only at them, so a store need not be emptied between
 * tests.
 */
public abstract class LockAdminContract {

  private LockKey key;
  private LockKey otherKey;
  private final List<LockHandle> opened = new ArrayList<>();

  /**
   * Returns a lock client of the store under test (one more processor instance).
   *
   * @return a lock client of the store under test (one more processor instance)
   */
  protected abstract DistributedLock newInstance();

  /**
   * Returns the administration view of the same store.
   *
   * @return the administration view of the same store
   */
  protected abstract LockAdmin admin();

  /**
   * Lets {@code duration} pass as the store judges leases (advance a fake clock, or sleep).
   *
   * @param duration the duration
   */
  protected abstract void elapse(Duration duration);

  /**
   * The lease used by the scenarios; real-time backends return a short one.
   *
   * @return the lease used by the scenarios; real-time backends return a short one
   */
  protected Duration lease() {
    return Duration.ofSeconds(30);
  }

  @BeforeEach
  void newKeys(TestInfo test) {
    String name = test.getTestMethod().map(m -> m.getName()).orElse("test");
    String unique = UUID.randomUUID().toString().substring(0, 8);
    key = LockKey.of("admin", name + "-" + unique);
    otherKey = LockKey.of("admin-other", name + "-" + unique);
  }

  @AfterEach
  void closeHandles() {
    opened.forEach(LockHandle::close);
  }

  private LockHandle mustAcquire(LockKey k) {
    Optional<LockHandle> handle =
        newInstance().tryAcquire(k, LockOptions.builder().leaseDuration(lease()).build());
    assertThat(handle).as("acquisition of free lock %s", k).isPresent();
    opened.add(handle.get());
    return handle.get();
  }

  private List<LockInfo> listedMine() {
    return admin().listHeld().stream()
        .filter(i -> i.key().equals(key) || i.key().equals(otherKey))
        .toList();
  }

  @Test
  void listHeldShowsEachLiveLockWithItsOwnerTokenAndLease() {
    LockHandle a = mustAcquire(key);
    LockHandle b = mustAcquire(otherKey);

    List<LockInfo> listed = listedMine();

    assertThat(listed).extracting(LockInfo::key).containsExactlyInAnyOrder(key, otherKey);
    for (LockHandle h : List.of(a, b)) {
      LockInfo info =
          listed.stream().filter(i -> i.key().equals(h.key())).findFirst().orElseThrow();
      assertThat(info.ownerId()).isEqualTo(h.ownerId());
      assertThat(info.fencingToken()).isEqualTo(h.fencingToken());
      // A store may stamp "since" a moment before the write that starts the lease.
      assertThat(Duration.between(info.since(), info.expires()))
          .isBetween(lease(), lease().plusSeconds(1));
      assertThat(info.owner().pid()).isEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void listHeldIsOrderedByTypeThenKey() {
    mustAcquire(otherKey);
    mustAcquire(key);

    assertThat(listedMine()).extracting(LockInfo::key).containsExactly(key, otherKey);
  }

  private List<LockInfo> abandonedMine() {
    return admin().listAbandoned().stream()
        .filter(i -> i.key().equals(key) || i.key().equals(otherKey))
        .toList();
  }

  @Test
  void aLockWhoseHolderNeverReleasedItIsAbandonedUntilSomeoneTakesItOver() {
    LockHandle crashed = mustAcquire(key);
    mustAcquire(otherKey).close();
    assertThat(abandonedMine()).as("a live lease is not abandoned").isEmpty();

    elapse(lease().plus(lease().dividedBy(5)));

    List<LockInfo> abandoned = abandonedMine();
    assertThat(abandoned).extracting(LockInfo::key).containsExactly(key);
    LockInfo info = abandoned.get(0);
    assertThat(info.ownerId()).isEqualTo(crashed.ownerId());
    assertThat(info.fencingToken()).isEqualTo(crashed.fencingToken());
    assertThat(Duration.between(info.since(), info.expires()))
        .isBetween(lease(), lease().plusSeconds(1));
    assertThat(listedMine()).as("not held any more").isEmpty();

    LockHandle next = mustAcquire(key);

    assertThat(abandonedMine()).as("taken over").isEmpty();
    assertThat(listedMine())
        .extracting(LockInfo::fencingToken)
        .containsExactly(next.fencingToken());
  }

  @Test
  void aHolderThatReleasesAfterItsLeaseRanOutLeavesNothingAbandoned() {
    LockHandle late = mustAcquire(key);
    elapse(lease().plus(lease().dividedBy(5)));

    late.close();

    assertThat(abandonedMine()).isEmpty();
    assertThat(listedMine()).isEmpty();
  }

  @Test
  void aHolderThatLostItsLeaseLocallyReleasesItAtCloseAndLeavesNothingAbandoned() {
    LockHandle stalled = mustAcquire(key);
    elapse(lease().plus(lease().dividedBy(5)));
    assertThat(stalled.isValid()).as("the lease ran out: marked lost").isFalse();

    stalled.close();

    assertThat(abandonedMine()).isEmpty();
    assertThat(listedMine()).isEmpty();
    assertThat(mustAcquire(key).fencingToken()).isGreaterThan(stalled.fencingToken());
  }

  @Test
  void releasedAndForceReleasedLocksAreNeverAbandoned() {
    mustAcquire(key);
    admin().forceRelease(key, "instance i-42 is gone");
    mustAcquire(otherKey).close();

    elapse(lease().plus(lease().dividedBy(5)));

    assertThat(abandonedMine()).isEmpty();
  }

  @Test
  void releasedAndExpiredLocksAreNotListed() {
    mustAcquire(key).close();
    mustAcquire(otherKey);
    elapse(lease().plus(lease().dividedBy(5)));

    assertThat(listedMine()).isEmpty();
  }

  @Test
  void forceReleaseFreesTheLockAndTheHolderLearnsWhy() {
    LockHandle holder = mustAcquire(key);

    boolean released = admin().forceRelease(key, "instance i-42 is gone");

    assertThat(released).isTrue();
    assertThatThrownBy(holder::checkValid)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("instance i-42 is gone");
    assertThat(holder.isValid()).isFalse();
    assertThat(listedMine()).isEmpty();
    LockHandle next = mustAcquire(key);
    assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
  }

  @Test
  void closingAForceReleasedHandleLeavesTheNextHolderUntouched() {
    LockHandle holder = mustAcquire(key);
    admin().forceRelease(key, "stuck");
    LockHandle next = mustAcquire(key);

    holder.close();

    assertThat(next.isValid()).isTrue();
    next.checkValid();
    assertThat(listedMine()).extracting(LockInfo::ownerId).containsExactly(next.ownerId());
  }

  @Test
  void forceReleaseEndsTheMinimumHoldOfAnEarlyReleaseWhichIsNeitherListedNorAbandoned() {
    Duration hold = lease().multipliedBy(2);
    LockOptions holding = LockOptions.builder().leaseDuration(hold).holdAtLeast(hold).build();
    LockHandle holder = newInstance().tryAcquire(key, holding).orElseThrow();
    holder.close();
    assertThat(newInstance().tryAcquire(key, holding)).as("within the minimum hold").isEmpty();
    assertThat(listedMine()).as("released: nobody holds it").isEmpty();
    assertThat(abandonedMine()).as("released: nobody abandoned it").isEmpty();

    assertThat(admin().forceRelease(key, "rerun now")).isTrue();

    LockHandle next = mustAcquire(key);
    assertThat(next.fencingToken()).isGreaterThan(holder.fencingToken());
    assertThat(admin().forceRelease(otherKey, "never held")).isFalse();
  }

  @Test
  void forceReleaseOfAFreeLockReturnsFalse() {
    assertThat(admin().forceRelease(key, "never held")).isFalse();
    mustAcquire(otherKey).close();
    assertThat(admin().forceRelease(otherKey, "already released")).isFalse();
  }

  @Test
  void forceReleaseRejectsABlankReasonAndLeavesTheLockHeld() {
    LockHandle holder = mustAcquire(key);

    assertThatThrownBy(() -> admin().forceRelease(key, "  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'  '");
    holder.checkValid();
  }
}
