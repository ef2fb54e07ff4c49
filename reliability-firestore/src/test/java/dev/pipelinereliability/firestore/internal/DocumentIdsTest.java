package dev.pipelinereliability.firestore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.firestore.lock.FirestoreDistributedLock;
import dev.pipelinereliability.lock.LockKey;
import org.junit.jupiter.api.Test;

/**
 * Document ids are persistent: a lock or alert document written by one release must be found by the
 * next. These golden values pin them (the SHA-256 digests were computed independently).
 */
class DocumentIdsTest {

  @Test
  void lockDocumentIdsAreReadableAndStable() {
    assertThat(FirestoreDistributedLock.defaultDocumentId(LockKey.of("phase3", "2026-02-03")))
        .isEqualTo("phase3~2026-02-03");
    assertThat(
            FirestoreDistributedLock.defaultDocumentId(
                LockKey.of("phase3", "team_offense/2026-02-03")))
        .isEqualTo("phase3~team_offense%2F2026-02-03");
    assertThat(FirestoreDistributedLock.defaultDocumentId(LockKey.of("grading", "a.b ~é")))
        .isEqualTo("grading~a%2Eb%20%7E%C3%A9");
    assertThat(FirestoreDistributedLock.defaultDocumentId(LockKey.of("grading", "é".repeat(800))))
        .isEqualTo(
            "grading~~sha256-3034bab214a128d5d72d163d10f32f88ebd6952881c6afb5f6e5c64999ee5b2c");
    assertThat(FirestoreDistributedLock.defaultDocumentId(LockKey.of("grading", "x/".repeat(500))))
        .isEqualTo(
            "grading~~sha256-a99bbeabaeb261a20d45a57d6db35591e8ea8ff1554b6e0cdaa5c8c7c1af16af");
  }

  @Test
  void alertDocumentIdsUseTheSameEncoding() {
    assertThat(DocumentIds.of("alert", "freshness:odds-api:2026-11-23"))
        .isEqualTo("alert~freshness:odds-api:2026-11-23");
    assertThat(DocumentIds.of("alert", "duplicates:ds.t")).isEqualTo("alert~duplicates:ds%2Et");
    assertThat(DocumentIds.of("alert", "")).isEqualTo("alert~");
  }

  @Test
  void validityFollowsFirestoresRules() {
    assertThat(DocumentIds.isValid("pipeline_alert_history")).isTrue();
    assertThat(DocumentIds.isValid("x".repeat(1_500))).isTrue();
    for (String bad : new String[] {null, "", "a/b", ".", "..", "__x__", "x".repeat(1_501)}) {
      assertThat(DocumentIds.isValid(bad)).as(String.valueOf(bad)).isFalse();
    }
    assertThatThrownBy(() -> DocumentIds.checkCollection("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/b'");
  }
}
