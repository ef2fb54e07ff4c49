package dev.pipelinereliability.examples.replay;

import dev.pipelinereliability.examples.time.CompressedTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The legacy pipeline's Phase 3 -> Phase 4 orchestrator, kept faithful so the replay can show how
 * it fails: each completion message runs a read-modify-write "transaction" on the phase document
 * that adds the processor and increments a stored {@code _completed_count}; a conflicting write
 * makes it retry, and after five attempts ("Transaction was cancelled because of too many retries")
 * the function logs the error and the message is acknowledged anyway, so the completion is lost.
 * The trigger fires when the stored count reaches the expected count.
 *
 * <p>Thread-safe, as the document store it simulates is.
 */
final class NaiveOrchestrator {
  private static final int MAX_ATTEMPTS = 5;

  /** How long a transaction holds its snapshot before committing (cold function, remote calls). */
  static final Duration TRANSACTION_TIME = Duration.ofSeconds(2);

  private final CompressedTime time;
  private final int expected;
  private final Map<String, Object> document = new HashMap<>();
  private long version;
  final AtomicInteger lostMessages = new AtomicInteger();
  final AtomicInteger triggers = new AtomicInteger();

  NaiveOrchestrator(CompressedTime time, int expected) {
    this.time = time;
    this.expected = expected;
  }

  /** Handles one delivery of "{@code processor} completed". */
  void onMessage(String processor) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Map<String, Object> snapshot;
      long readVersion;
      synchronized (this) {
        snapshot = new HashMap<>(document);
        readVersion = version;
      }
      time.sleep(TRANSACTION_TIME);
      boolean fire = false;
      if (!snapshot.containsKey(processor)) {
        long count = (long) snapshot.getOrDefault("_completed_count", 0L) + 1;
        snapshot.put(processor, "complete");
        snapshot.put("_completed_count", count);
        if (count >= expected && snapshot.get("_triggered") == null) {
          snapshot.put("_triggered", true);
          fire = true;
        }
      }
      snapshot.put("_last_update", time.now().toString());
      synchronized (this) {
        if (version != readVersion) {
          continue; // conflict: another message committed first; retry
        }
        document.clear();
        document.putAll(snapshot);
        version++;
      }
      if (fire) {
        triggers.incrementAndGet();
      }
      return;
    }
    lostMessages.incrementAndGet();
  }

  /** The stored {@code _completed_count}. */
  synchronized long storedCount() {
    return (long) document.getOrDefault("_completed_count", 0L);
  }
}
