package dev.pipelinereliability.benchmarks;

/** One named group of measurements; implementations print through a {@link Results}. */
@FunctionalInterface
public interface Suite {
  /**
   * Runs the measurements and reports every figure.
   *
   * @param results where figures are printed
   * @throws Exception if the suite cannot run; the harness reports it and exits non-zero
   */
  void run(Results results) throws Exception;
}
