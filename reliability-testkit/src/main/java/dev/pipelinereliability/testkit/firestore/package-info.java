/**
 * Firestore emulator support for tests: {@link
 * dev.pipelinereliability.testkit.firestore.FirestoreEmulatorExtension}, a JUnit 5 extension that
 * hands tests {@code Firestore} clients on an emulator (from {@code FIRESTORE_EMULATOR_HOST}, the
 * Cloud SDK on the machine, or Testcontainers) and fails with install instructions when there is
 * none; and {@link dev.pipelinereliability.testkit.firestore.FirestoreEmulator}, one emulator
 * process that a test can stop and restart.
 *
 * <p>Needs {@code com.google.cloud:google-cloud-firestore} on the test class path (an optional
 * dependency of the testkit), and {@code org.testcontainers:gcloud} only for the Docker path.
 */
@NullMarked
package dev.pipelinereliability.testkit.firestore;

import org.jspecify.annotations.NullMarked;
