package dev.pipelinereliability.health;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * What one named health check found: a status, a one-line message for a person, and details (key to
 * value, in insertion order) for a person or a machine.
 *
 * <p>Validated on construction: the name is 1 to {@value #MAX_NAME_LENGTH} characters without
 * control characters and not blank; detail keys are not blank; the message and detail values may
 * hold any text (renderers escape it). Immutable and thread-safe.
 *
 * @param name the check's name, unique within a report, for example {@code
 *     freshness:odds-api:2024-11-20}
 * @param status what the check found
 * @param message one line saying what was found and with which values
 * @param details supporting values, in insertion order; copied on construction
 */
public record CheckResult(
    String name, HealthStatus status, String message, Map<String, String> details) {
  /** Longest accepted check name, in characters. */
  public static final int MAX_NAME_LENGTH = 200;

  /**
   * Validates and creates a result; prefer the static factories.
   *
   * @param name the name
   * @param status the status
   * @param message the message
   * @param details the details
   * @throws NullPointerException if any argument, detail key or detail value is null
   * @throws IllegalArgumentException if the name or a detail key breaks the rules above; the
   *     message names the rejected value
   */
  public CheckResult {
    requireNonNull(status, "status");
    requireNonNull(message, "message");
    requireNonNull(details, "details");
    validateName(name);
    for (Map.Entry<String, String> e : details.entrySet()) {
      requireNonNull(e.getKey(), "detail key");
      requireNonNull(e.getValue(), () -> "value of detail '" + e.getKey() + "'");
      if (e.getKey().isBlank()) {
        throw new IllegalArgumentException(
            "detail key must not be blank, but was '" + e.getKey() + "'");
      }
    }
    details = ImmutableMap.copyOf(details);
  }

  /**
   * Checks that {@code name} is a valid check name.
   *
   * @param name the name
   * @return {@code name}
   * @throws IllegalArgumentException if it is blank, too long or holds control characters
   */
  public static String validateName(String name) {
    requireNonNull(name, "name");
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "check name must be 1-"
              + MAX_NAME_LENGTH
              + " characters and not blank, but was '"
              + (name.length() > MAX_NAME_LENGTH ? name.substring(0, 40) + "..." : name)
              + "'");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "check name must not contain control characters, but was '" + name.strip() + "'");
    }
    return name;
  }

  /**
   * Returns an {@link HealthStatus#OK} result without details.
   *
   * @param name the name
   * @param message the message
   * @return an {@link HealthStatus#OK} result without details
   */
  public static CheckResult ok(String name, String message) {
    return new CheckResult(name, HealthStatus.OK, message, Map.of());
  }

  /**
   * Returns an {@link HealthStatus#OK} result with {@code details}.
   *
   * @param name the name
   * @param message the message
   * @param details the details
   * @return an {@link HealthStatus#OK} result with {@code details}
   */
  public static CheckResult ok(String name, String message, Map<String, String> details) {
    return new CheckResult(name, HealthStatus.OK, message, details);
  }

  /**
   * Returns a {@link HealthStatus#WARN} result with {@code details}.
   *
   * @param name the name
   * @param message the message
   * @param details the details
   * @return a {@link HealthStatus#WARN} result with {@code details}
   */
  public static CheckResult warn(String name, String message, Map<String, String> details) {
    return new CheckResult(name, HealthStatus.WARN, message, details);
  }

  /**
   * Returns a {@link HealthStatus#FAIL} result with {@code details}.
   *
   * @param name the name
   * @param message the message
   * @param details the details
   * @return a {@link HealthStatus#FAIL} result with {@code details}
   */
  public static CheckResult fail(String name, String message, Map<String, String> details) {
    return new CheckResult(name, HealthStatus.FAIL, message, details);
  }

  /**
   * Returns an {@link HealthStatus#ERROR} result for a check that could not run because of {@code
   * cause}. The details name the exception's class and message and those of its root cause, so the
   * report says why without a stack trace.
   *
   * @param name the name
   * @param message the message
   * @param cause the cause
   * @return an {@link HealthStatus#ERROR} result for a check that could not run because of {@code
   *     cause}
   */
  public static CheckResult error(String name, String message, Throwable cause) {
    requireNonNull(cause, "cause");
    ImmutableMap.Builder<String, String> details = ImmutableMap.builder();
    details.put("error", describe(cause));
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != cause) {
      details.put("rootCause", describe(root));
    }
    return new CheckResult(name, HealthStatus.ERROR, message, details.buildOrThrow());
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null
        ? t.getClass().getName()
        : t.getClass().getName() + ": " + t.getMessage();
  }

  /**
   * Returns whether the status is anything but {@link HealthStatus#OK}.
   *
   * @return whether the status is anything but {@link HealthStatus#OK}
   */
  public boolean isIssue() {
    return status != HealthStatus.OK;
  }
}
