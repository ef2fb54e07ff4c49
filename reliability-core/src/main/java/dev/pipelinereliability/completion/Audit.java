package dev.pipelinereliability.completion;

import static java.util.Objects.requireNonNull;

/**
 * Who asks for a manual or automatic repair, and why. Every override and every reconciler fix
 * carries one; the tracker stores it with the time as an {@link AuditEntry}.
 *
 * <p>Rules: {@code actor} 1 to {@value #MAX_ACTOR} characters, {@code reason} 1 to {@value
 * #MAX_REASON} characters; neither blank nor with control characters.
 *
 * <p>Immutable and thread-safe.
 *
 * @param actor who asks: a person's address, or a job name such as {@code reconciler}
 * @param reason why, in words an operator reading the audit trail understands
 */
public record Audit(String actor, String reason) {
  /** Longest actor, in characters. */
  public static final int MAX_ACTOR = 256;

  /** Longest reason, in characters. */
  public static final int MAX_REASON = 1024;

  /**
   * Validates and creates an audit value; prefer {@link #by(String, String)}.
   *
   * @param actor who asks: a person's address, or a job name such as {@code reconciler}
   * @param reason why, in words an operator reading the audit trail understands
   * @throws IllegalArgumentException if either part breaks the rules above; the message names it
   */
  public Audit {
    check("actor", actor, MAX_ACTOR);
    check("reason", reason, MAX_REASON);
  }

  /**
   * Returns an audit value: {@code actor} asks, because {@code reason}.
   *
   * @param actor who asked: an e-mail address or a service name
   * @param reason why, in words
   * @return an audit value: {@code actor} asks, because {@code reason}
   * @throws IllegalArgumentException if either part breaks the rules in the class documentation
   */
  public static Audit by(String actor, String reason) {
    return new Audit(actor, reason);
  }

  private static void check(String what, String value, int max) {
    requireNonNull(value, what);
    if (value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(
          what + " must be non-blank and at most " + max + " characters, but was '" + value + "'");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what + " must not contain control characters, but was '" + value.strip() + "'");
    }
  }
}
