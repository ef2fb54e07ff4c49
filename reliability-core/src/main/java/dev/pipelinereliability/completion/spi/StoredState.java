package dev.pipelinereliability.completion.spi;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.completion.CompletionState;
import java.util.Optional;

/**
 * A key's state as a backend read it, with the version a compare-and-set must match.
 *
 * <p>Immutable and thread-safe.
 *
 * @param state the state read
 * @param version the backend's version of the stored document (Firestore: its update time; the
 *     in-memory tracker: a counter); empty when no document exists, so a compare-and-set must
 *     create it and fail if someone else did first
 */
public record StoredState(CompletionState state, Optional<Object> version) {
  /**
   * Validates and creates the value.
   *
   * @param state the state read
   * @param version the backend's version of the stored document (Firestore: its update time; the
   *     in-memory tracker: a counter); empty when no document exists, so a compare-and-set must
   *     create it and fail if someone else did first
   */
  public StoredState {
    requireNonNull(state, "state");
    requireNonNull(version, "version");
  }

  /**
   * Whether a document exists.
   *
   * @return whether a document exists
   */
  public boolean exists() {
    return version.isPresent();
  }
}
