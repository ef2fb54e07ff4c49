package dev.pipelinereliability.health;

/**
 * One named check of a pipeline's health, such as "did the odds scraper's data for yesterday arrive
 * on time" or "are there duplicate keys in yesterday's partition".
 *
 * <p>A check reports what it found as a {@link CheckResult} carrying its {@link #name()}. When it
 * cannot find out (its backend is unreachable, a query fails) it either returns a {@link
 * HealthStatus#ERROR} result or throws; {@link HealthCheckRunner} turns a throw into an {@code
 * ERROR} result, so an unreachable backend is never mistaken for a healthy one.
 *
 * <p>Implementations should be thread-safe if one runner is used from several threads; the built-in
 * checks are.
 */
public interface HealthCheck {
  /**
   * Returns this check's name, unique within a runner; see {@link CheckResult#validateName} for the
   * rules. The name identifies the finding for alert suppression, so include what makes two
   * findings different (a source, a table, a date).
   *
   * @return this check's name, unique within a runner; see {@link CheckResult#validateName} for the
   *     rules
   */
  String name();

  /**
   * Runs the check once.
   *
   * @return what was found; its {@link CheckResult#name()} should equal {@link #name()}
   * @throws RuntimeException if the check could not run; the runner reports it as {@link
   *     HealthStatus#ERROR}
   */
  CheckResult run();
}
