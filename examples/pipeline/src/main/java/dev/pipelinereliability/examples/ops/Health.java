package dev.pipelinereliability.examples.ops;

import dev.pipelinereliability.health.HealthReport;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** {@code health [--date yyyy-MM-dd] [--json]}: runs the pipeline's checks for a date. */
final class Health {
  private Health() {}

  static int run(OpsBackends backends, Args args, PrintStream out) {
    String dateText = args.option("date", null);
    boolean json = args.flag("json");
    args.rejectUnknown();
    LocalDate date;
    try {
      date =
          dateText == null
              ? LocalDate.now(backends.clock().withZone(backends.zone())).minusDays(1)
              : LocalDate.parse(dateText);
    } catch (DateTimeParseException e) {
      throw new UsageException("--date must be yyyy-MM-dd, but was '" + dateText + "'");
    }
    HealthReport report = backends.health(date).run();
    out.println(json ? report.toJson() : report.toTable());
    return report.exitCode();
  }
}
