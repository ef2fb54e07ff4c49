package dev.pipelinereliability.testkit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.alert.AlertHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AlertHistory} promises. A backend's test extends this class and
 * supplies {@link #newHistory()}; the in-memory history and the Firestore one (on the emulator)
 * both pass it. Instants are whole milliseconds, which every store keeps exactly.
 *
 * <p>Each test uses check names of its own, so a store need not be emptied between tests.
 */
public abstract class AlertHistoryContract {
  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00.123Z");

  private String prefix;

  /**
   * Returns a history on the store under test; two calls may share the store.
   *
   * @return a history on the store under test; two calls may share the store
   */
  protected abstract AlertHistory newHistory();

  @BeforeEach
  void uniqueNames() {
    prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  private String check(String name) {
    return prefix + name;
  }

  @Test
  void aCheckThatNeverAlertedHasNoLastDelivery() {
    assertThat(newHistory().lastSent(check("freshness:odds-api"), HealthStatus.FAIL)).isEmpty();
  }

  @Test
  void aRecordedDeliveryIsReadBackPerStatusAndSurvivesANewInstance() {
    AlertHistory history = newHistory();
    history.recordSent(check("locks:phase3"), HealthStatus.WARN, T0);
    history.recordSent(check("locks:phase3"), HealthStatus.FAIL, T0.plusSeconds(60));

    AlertHistory nextRun = newHistory();
    assertThat(nextRun.lastSent(check("locks:phase3"), HealthStatus.WARN)).contains(T0);
    assertThat(nextRun.lastSent(check("locks:phase3"), HealthStatus.FAIL))
        .contains(T0.plusSeconds(60));
    assertThat(nextRun.lastSent(check("locks:phase3"), HealthStatus.ERROR)).isEmpty();
    assertThat(nextRun.lastSent(check("locks:phase4"), HealthStatus.WARN)).isEmpty();
  }

  @Test
  void aLaterRecordReplacesTheEarlierOneForThatStatus() {
    AlertHistory history = newHistory();
    history.recordSent(check("duplicates:grading"), HealthStatus.FAIL, T0);
    history.recordSent(check("duplicates:grading"), HealthStatus.FAIL, T0.plusSeconds(3600));

    assertThat(history.lastSent(check("duplicates:grading"), HealthStatus.FAIL))
        .contains(T0.plusSeconds(3600));
  }

  @Test
  void clearForgetsEveryStatusOfThatCheckOnly() {
    AlertHistory history = newHistory();
    history.recordSent(check("a"), HealthStatus.WARN, T0);
    history.recordSent(check("a"), HealthStatus.FAIL, T0);
    history.recordSent(check("b"), HealthStatus.FAIL, T0);

    history.clear(check("a"));
    history.clear(check("never-alerted"));

    assertThat(history.lastSent(check("a"), HealthStatus.WARN)).isEmpty();
    assertThat(history.lastSent(check("a"), HealthStatus.FAIL)).isEmpty();
    assertThat(history.lastSent(check("b"), HealthStatus.FAIL)).contains(T0);
  }

  @Test
  void namesThatLookAlikeOrArePathLikeOrHugeAreKeptApart() {
    List<String> names =
        List.of(
            check("a/b"),
            check("a%2Fb"),
            check("a~b"),
            check(".."),
            check("__name__"),
            check("déjà vu ✓"),
            check(""),
            check("x".repeat(1_600)),
            check("x".repeat(1_601)));
    AlertHistory history = newHistory();
    for (int i = 0; i < names.size(); i++) {
      history.recordSent(names.get(i), HealthStatus.FAIL, T0.plusSeconds(i));
    }
    List<Instant> read = new ArrayList<>();
    for (String name : names) {
      read.add(history.lastSent(name, HealthStatus.FAIL).orElseThrow());
    }
    for (int i = 0; i < names.size(); i++) {
      assertThat(read.get(i)).as(names.get(i)).isEqualTo(T0.plusSeconds(i));
    }
  }

  @Test
  void concurrentRecordsOfDifferentStatusesAreBothKept() throws Exception {
    AlertHistory history = newHistory();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    HealthStatus[] statuses = {HealthStatus.WARN, HealthStatus.FAIL, HealthStatus.ERROR};
    for (int i = 0; i < statuses.length; i++) {
      HealthStatus status = statuses[i];
      Instant at = T0.plusSeconds(i);
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  history.recordSent(check("race"), status, at);
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      t.start();
      writers.add(t);
    }
    start.countDown();
    for (Thread t : writers) {
      t.join(30_000);
    }

    assertThat(failures).isEmpty();
    for (int i = 0; i < statuses.length; i++) {
      assertThat(history.lastSent(check("race"), statuses[i])).contains(T0.plusSeconds(i));
    }
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: asserts the NullPointerException
  void missingArgumentsAreRejectedBeforeAnythingIsWritten() {
    AlertHistory history = newHistory();
    assertThatThrownBy(() -> history.recordSent(null, HealthStatus.FAIL, T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> history.recordSent(check("n"), null, T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> history.recordSent(check("n"), HealthStatus.FAIL, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> history.lastSent(null, HealthStatus.FAIL))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> history.clear(null)).isInstanceOf(NullPointerException.class);
    assertThat(history.lastSent(check("n"), HealthStatus.FAIL)).isEmpty();
  }
}
