package dev.pipelinereliability.examples.replay;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.pipelinereliability.completion.CompletionConfig;
import dev.pipelinereliability.completion.CompletionTracker;
import dev.pipelinereliability.completion.TriggerPublisher;
import dev.pipelinereliability.firestore.completion.FirestoreCompletionTracker;
import dev.pipelinereliability.firestore.lock.FirestoreDistributedLock;
import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.testkit.firestore.FirestoreEmulator;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The library run's locks and completion tracking on a Cloud SDK Firestore emulator that this
 * object starts and, on {@link #close()}, stops. Lock leases are judged by the emulator's clock;
 * completion times and deadlines come from the replay's compressed clock.
 */
final class FirestoreBackends implements Backends {
  private static final String PROJECT = "pipeline-reliability-replay";

  private final FirestoreEmulator emulator;
  private final Firestore firestore;

  private FirestoreBackends(FirestoreEmulator emulator) {
    this.emulator = emulator;
    this.firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emulator.hostPort())
            // Without the emulator's credentials here, building the options looks up Application
            // Default Credentials, which pings the metadata server: nothing may leave loopback.
            .setCredentials(new FirestoreOptions.EmulatorCredentials())
            .build()
            .getService();
  }

  /**
   * Starts the emulator found in the Cloud SDK on this machine.
   *
   * @throws IllegalStateException if there is none (the message says how to install it) or it does
   *     not start
   */
  static FirestoreBackends start() {
    FirestoreBackends backends =
        new FirestoreBackends(
            FirestoreEmulator.start(
                FirestoreEmulator.findCloudSdkJar()
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "--firestore-emulator needs the Cloud SDK Firestore emulator: run"
                                    + " 'gcloud components install cloud-firestore-emulator'"))));
    backends.warmUp();
    return backends;
  }

  /**
   * Waits for one read to answer: a fresh emulator's first requests can take longer than the
   * library's per-call deadline while its JVM warms up, and the replay's timeline should not pay
   * for that.
   */
  private void warmUp() {
    try {
      firestore.collection("warmup").document("replay").get().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      close();
      throw new IllegalStateException("the Firestore emulator did not answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for the Firestore emulator", e);
    }
  }

  @Override
  public DistributedLock locks(Clock clock) {
    return FirestoreDistributedLock.builder(firestore).clock(clock).build();
  }

  @Override
  public CompletionTracker tracker(
      CompletionConfig config, TriggerPublisher publisher, Clock clock) {
    // The retry deadline runs in real time (the sleeper's), not on the compressed clock, so the
    // default policy gives a hot key's concurrent deliveries the same budget as in production.
    return FirestoreCompletionTracker.builder(firestore, config, publisher).clock(clock).build();
  }

  @Override
  public String description() {
    return "Firestore emulator on " + emulator.hostPort();
  }

  @Override
  public void close() {
    try {
      firestore.close();
    } catch (Exception e) {
      // The emulator is stopped next; a client that fails to close leaks nothing outside.
    }
    emulator.close();
  }
}
