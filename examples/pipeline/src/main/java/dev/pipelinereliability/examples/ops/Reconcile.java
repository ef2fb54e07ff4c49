package dev.pipelinereliability.examples.ops;

import dev.pipelinereliability.completion.reconcile.ReconcileMode;
import dev.pipelinereliability.completion.reconcile.ReconcileReport;
import dev.pipelinereliability.completion.reconcile.ReconcileScope;
import java.io.PrintStream;

/**
 * {@code reconcile --phase PHASE [--days N] [--fix] [--json]}: compares completion state with the
 * data that landed over the last N days (7 by default). Report mode writes nothing; {@code --fix}
 * repairs with compare-and-set writes and records {@code reconcile} as the reason.
 */
final class Reconcile {
  private Reconcile() {}

  static int run(OpsBackends backends, Args args, PrintStream out) {
    String phase = args.requiredOption("phase");
    int days = args.intOption("days", 7, 1, ReconcileScope.MAX_DAYS);
    boolean fix = args.flag("fix");
    boolean json = args.flag("json");
    args.rejectUnknown();
    ReconcileScope scope;
    try {
      scope = ReconcileScope.lastDays(backends.clock(), days, phase);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ReconcileReport report;
    try {
      report = backends.reconciler().run(scope, fix ? ReconcileMode.FIX : ReconcileMode.REPORT);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    out.println(json ? report.toJson() : report.toTable());
    if (fix) {
      return report.needsHuman().isEmpty() ? OpsCli.OK : OpsCli.ISSUES;
    }
    return report.hasFindings() ? OpsCli.ISSUES : OpsCli.OK;
  }
}
