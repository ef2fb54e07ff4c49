package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CompletionTracker} tracks: the phases with their expected processors, and how long
 * a trigger claim may stay unconfirmed before it counts as abandoned (the claimant crashed or its
 * publish failed) and may be published again.
 *
 * <p>Rules: at least one phase, no phase twice; the unconfirmed-claim timeout is positive and at
 * most one day. The default timeout is 5 minutes: long enough for a slow publish to finish, short
 * enough that a reconciler run soon after repairs a crash.
 *
 * <p>Immutable and thread-safe; {@link Builder} is not thread-safe.
 */
public final class CompletionConfig {
  /** The default {@link #unconfirmedClaimTimeout()}. */
  public static final Duration DEFAULT_UNCONFIRMED_CLAIM_TIMEOUT = Duration.ofMinutes(5);

  private final Map<String, PhaseConfig> phases;
  private final Duration unconfirmedClaimTimeout;

  private CompletionConfig(Builder builder) {
    this.phases = Collections.unmodifiableMap(new LinkedHashMap<>(builder.phases));
    this.unconfirmedClaimTimeout = builder.unconfirmedClaimTimeout;
  }

  /**
   * Returns a configuration of {@code phases} with the default timeout.
   *
   * @param phases the phases, each once
   * @return a configuration of {@code phases} with the default timeout
   * @throws IllegalArgumentException if none is given or a phase appears twice
   */
  public static CompletionConfig of(PhaseConfig... phases) {
    Builder b = builder();
    for (PhaseConfig p : phases) {
      b.phase(p);
    }
    return b.build();
  }

  /**
   * Returns an empty builder.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration of {@code phase}.
   *
   * @param phase the phase (builder: to add; lookup: its name)
   * @return the configuration of {@code phase}
   * @throws IllegalArgumentException if the phase is not configured; the message names it and the
   *     configured phases
   */
  public PhaseConfig phase(String phase) {
    PhaseConfig config = phases.get(requireNonNull(phase, "phase"));
    if (config == null) {
      throw new IllegalArgumentException(
          "phase '" + phase + "' is not configured; configured phases are " + phases.keySet());
    }
    return config;
  }

  /**
   * Returns every configured phase, in the order added.
   *
   * @return every configured phase, in the order added
   */
  public Collection<PhaseConfig> phases() {
    return List.copyOf(phases.values());
  }

  /**
   * How long a trigger claim may stay unconfirmed before it may be published again.
   *
   * @return how long a trigger claim may stay unconfirmed before it may be published again
   */
  public Duration unconfirmedClaimTimeout() {
    return unconfirmedClaimTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompletionConfig other
        && phases.equals(other.phases)
        && unconfirmedClaimTimeout.equals(other.unconfirmedClaimTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phases, unconfirmedClaimTimeout);
  }

  @Override
  public String toString() {
    return "CompletionConfig{phases="
        + phases.values()
        + ", unconfirmedClaimTimeout="
        + unconfirmedClaimTimeout
        + "}";
  }

  /** Builds a {@link CompletionConfig}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, PhaseConfig> phases = new LinkedHashMap<>();
    private Duration unconfirmedClaimTimeout = DEFAULT_UNCONFIRMED_CLAIM_TIMEOUT;

    private Builder() {}

    /**
     * Adds a phase.
     *
     * @param phase the phase (builder: to add; lookup: its name)
     * @return this builder
     * @throws IllegalArgumentException if a phase of that name was already added
     */
    public Builder phase(PhaseConfig phase) {
      requireNonNull(phase, "phase");
      if (phases.putIfAbsent(phase.phase(), phase) != null) {
        throw new IllegalArgumentException("phase '" + phase.phase() + "' is configured twice");
      }
      return this;
    }

    /**
     * Sets how long a claim may stay unconfirmed before it may be published again.
     *
     * @param timeout positive, at most one day
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than one day
     */
    public Builder unconfirmedClaimTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "unconfirmedClaimTimeout must be positive and at most one day, but was " + timeout);
      }
      this.unconfirmedClaimTimeout = timeout;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if no phase was added
     */
    public CompletionConfig build() {
      if (phases.isEmpty()) {
        throw new IllegalArgumentException("at least one phase must be configured");
      }
      return new CompletionConfig(this);
    }
  }
}
