package dev.pipelinereliability.health.locks;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.internal.Text;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that no lock of one type has been held longer than expected, with {@link
 * LockAdmin#listHeld()}. A Phase 3 run takes minutes; a {@code phase3} lock held for an hour (its
 * lease kept alive by renewal) means a stuck processor that blocks the date, which nothing else
 * reports because every other instance politely skips the held lock.
 *
 * <p>How long a lock has been held is the check's clock minus {@link LockInfo#since()} (the store's
 * time of acquisition; renewals do not move it). Held longer than {@code maxHold} is {@link
 * HealthStatus#FAIL}, naming each such lock with its owner; exactly {@code maxHold} is still OK.
 *
 * <p>It also reports, with {@link LockAdmin#listAbandoned()}, locks of the type whose lease ran out
 * without a release within the last {@link #DEFAULT_ABANDONED_WINDOW} (or the window set with
 * {@link #withAbandonedWindow(Duration)}): their holder died or gave up mid-run and no retry has
 * taken the lock since. Such a lock blocks nobody, so it is {@link HealthStatus#WARN}, naming the
 * lock, its owner and when its lease ended; a lock held too long still makes the check FAIL.
 *
 * <p>A store that cannot be reached throws {@link
 * dev.pipelinereliability.lock.LockUnavailableException}, which {@link
 * dev.pipelinereliability.health.HealthCheckRunner} reports as {@link HealthStatus#ERROR}. The name
 * is {@code locks:<type>}. Immutable and thread-safe if the admin is.
 */
public final class LockHoldCheck implements HealthCheck {
  private static final int MAX_LOCKS_IN_DETAILS = 20;

  /** How far back abandoned locks are reported unless {@link #withAbandonedWindow} says. */
  public static final Duration DEFAULT_ABANDONED_WINDOW = Duration.ofHours(24);

  private final LockAdmin admin;
  private final String lockType;
  private final Duration maxHold;
  private final Duration abandonedWindow;
  private final Clock clock;

  /**
   * Creates the check for locks of {@code lockType}.
   *
   * @param admin the lock store's admin view
   * @param lockType the lock type to watch, such as {@code phase3}
   * @param maxHold the longest a lock of this type is expected to be held
   * @param clock the current time
   * @throws IllegalArgumentException if {@code lockType} is not a valid lock type or {@code
   *     maxHold} is not positive; the message names the value
   */
  public LockHoldCheck(LockAdmin admin, String lockType, Duration maxHold, Clock clock) {
    this(admin, lockType, maxHold, DEFAULT_ABANDONED_WINDOW, clock);
  }

  private LockHoldCheck(
      LockAdmin admin, String lockType, Duration maxHold, Duration abandonedWindow, Clock clock) {
    this.admin = requireNonNull(admin, "admin");
    this.abandonedWindow = requireNonNull(abandonedWindow, "abandonedWindow");
    if (abandonedWindow.isNegative()) {
      throw new IllegalArgumentException(
          "abandonedWindow must not be negative, but was " + abandonedWindow);
    }
    // Validates the type with the lock package's own rules.
    this.lockType = LockKey.of(requireNonNull(lockType, "lockType"), "x").type();
    this.maxHold = requireNonNull(maxHold, "maxHold");
    this.clock = requireNonNull(clock, "clock");
    if (maxHold.isZero() || maxHold.isNegative()) {
      throw new IllegalArgumentException(
          "maxHold must be positive, but was " + maxHold + " for lock type " + lockType);
    }
  }

  /**
   * Returns this check reporting locks abandoned within {@code window} of the current time (their
   * lease ended since then), instead of {@link #DEFAULT_ABANDONED_WINDOW}.
   *
   * @param window how far back to look; {@link Duration#ZERO} reports none
   * @return a new check; this one is unchanged
   * @throws IllegalArgumentException if {@code window} is negative; the message names it
   */
  public LockHoldCheck withAbandonedWindow(Duration window) {
    return new LockHoldCheck(admin, lockType, maxHold, window, clock);
  }

  /**
   * Returns one check per entry of {@code maxHoldByType} (lock type to longest expected hold), in
   * the map's iteration order.
   *
   * @param admin the admin
   * @param maxHoldByType the max hold by type
   * @param clock the clock
   * @return one check per entry of {@code maxHoldByType} (lock type to longest expected hold), in
   *     the map's iteration order
   */
  public static List<LockHoldCheck> forTypes(
      LockAdmin admin, Map<String, Duration> maxHoldByType, Clock clock) {
    return maxHoldByType.entrySet().stream()
        .map(e -> new LockHoldCheck(admin, e.getKey(), e.getValue(), clock))
        .toList();
  }

  @Override
  public String name() {
    return "locks:" + lockType;
  }

  /**
   * Lists the held locks and judges how long each has been held, then lists the recently abandoned
   * ones.
   *
   * @throws dev.pipelinereliability.lock.LockUnavailableException if the store could not be reached
   */
  @Override
  public CheckResult run() {
    List<LockInfo> held = admin.listHeld();
    Instant now = clock.instant();
    List<LockInfo> abandoned;
    String abandonedCount;
    try {
      abandoned = recentlyAbandoned(now, held);
      abandonedCount = Integer.toString(abandoned.size());
    } catch (UnsupportedOperationException e) {
      abandoned = List.of();
      abandonedCount = "unknown (" + e.getMessage() + ")";
    }
    int ofType = 0;
    List<LockInfo> overdue = new ArrayList<>();
    for (LockInfo info : held) {
      if (!info.key().type().equals(lockType)) {
        continue;
      }
      ofType++;
      if (Duration.between(info.since(), now).compareTo(maxHold) > 0) {
        overdue.add(info);
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("lockType", lockType);
    details.put("maxHold", maxHold.toString());
    details.put("held", Integer.toString(ofType));
    details.put("heldTooLong", Integer.toString(overdue.size()));
    details.put("abandonedWindow", abandonedWindow.toString());
    details.put("abandoned", abandonedCount);
    for (LockInfo info : abandoned.subList(0, Math.min(abandoned.size(), MAX_LOCKS_IN_DETAILS))) {
      details.put(
          info.key().toString(),
          "abandoned: lease ran out at "
              + info.expires()
              + " without a release, held since "
              + info.since()
              + " by "
              + describe(info)
              + ", token "
              + info.fencingToken());
    }
    if (overdue.isEmpty() && abandoned.isEmpty()) {
      return new CheckResult(
          name(),
          HealthStatus.OK,
          ofType + " " + lockType + " locks held, none longer than " + Text.human(maxHold),
          details);
    }
    if (overdue.isEmpty()) {
      LockInfo latest = abandoned.get(0);
      return new CheckResult(
          name(),
          HealthStatus.WARN,
          abandoned.size()
              + " "
              + lockType
              + " locks abandoned in the last "
              + Text.human(abandonedWindow)
              + " (the holder died or gave up without releasing; no retry has taken them); latest: "
              + latest.key()
              + " by "
              + describe(latest)
              + ", lease ran out at "
              + latest.expires(),
          details);
    }
    // Longest held first: the message names it, and the details keep the worst if truncated.
    overdue.sort(Comparator.comparing(LockInfo::since));
    for (LockInfo info : overdue.subList(0, Math.min(overdue.size(), MAX_LOCKS_IN_DETAILS))) {
      details.put(
          info.key().toString(),
          "held "
              + Duration.between(info.since(), now)
              + " since "
              + info.since()
              + " by "
              + describe(info)
              + ", token "
              + info.fencingToken()
              + ", lease until "
              + info.expires());
    }
    LockInfo first = overdue.get(0);
    return new CheckResult(
        name(),
        HealthStatus.FAIL,
        overdue.size()
            + " of "
            + ofType
            + " "
            + lockType
            + " locks held longer than "
            + Text.human(maxHold)
            + "; longest: "
            + first.key()
            + " held "
            + Text.human(Duration.between(first.since(), now))
            + " by "
            + describe(first),
        details);
  }

  /**
   * Abandoned locks of this type whose lease ended within the window, latest first. A lock whose
   * lease ran out between the two listings is left to the held list it is already in.
   */
  private List<LockInfo> recentlyAbandoned(Instant now, List<LockInfo> held) {
    if (abandonedWindow.isZero()) {
      return List.of();
    }
    Instant since = now.minus(abandonedWindow);
    Set<LockKey> heldKeys = new HashSet<>();
    held.forEach(info -> heldKeys.add(info.key()));
    List<LockInfo> recent = new ArrayList<>();
    for (LockInfo info : admin.listAbandoned()) {
      if (info.key().type().equals(lockType)
          && info.expires().isAfter(since)
          && !heldKeys.contains(info.key())) {
        recent.add(info);
      }
    }
    recent.sort(Comparator.comparing(LockInfo::expires).reversed());
    return recent;
  }

  private static String describe(LockInfo info) {
    StringBuilder out = new StringBuilder(info.ownerId());
    if (!info.owner().host().isEmpty()) {
      out.append(" on ").append(info.owner().host());
    }
    if (!info.owner().instance().isEmpty()) {
      out.append(" (").append(info.owner().instance()).append(')');
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "LockHoldCheck["
        + name()
        + ", maxHold="
        + maxHold
        + ", abandonedWindow="
        + abandonedWindow
        + "]";
  }
}
