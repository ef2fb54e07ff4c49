package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.retry.RetryPolicy;
import java.time.Duration;

/** Retry policies shaped like the writer's default (full jitter, no deadline), for tests. */
final class TestPolicies {
  private TestPolicies() {}

  static RetryPolicy fullJitter(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .noDeadline()
        .jitter(RetryPolicy.Jitter.FULL)
        .build();
  }
}
