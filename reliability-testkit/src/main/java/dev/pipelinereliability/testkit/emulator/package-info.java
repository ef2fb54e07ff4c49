/**
 * Local emulator processes for tests: {@link
 * dev.pipelinereliability.testkit.emulator.EmulatorProcess} runs one emulator JVM on a free
 * loopback port and stops it with nothing left behind; {@link
 * dev.pipelinereliability.testkit.emulator.CloudSdk} finds the emulators the Cloud SDK installed;
 * {@link dev.pipelinereliability.testkit.emulator.PubSubEmulator} is the Pub/Sub emulator.
 */
@NullMarked
package dev.pipelinereliability.testkit.emulator;

import org.jspecify.annotations.NullMarked;
