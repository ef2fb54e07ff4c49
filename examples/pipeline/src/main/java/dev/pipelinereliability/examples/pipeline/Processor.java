package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A processor's business logic: which table it writes, by which business key, and how it computes a
 * date's rows. {@link LockedProcessor} adds the protection; the replay's naive pipeline runs the
 * same logic without it.
 */
public interface Processor {
  /** The processor's name, as the orchestrator expects it (its table name here). */
  String name();

  /** The BigQuery table the processor replaces a date partition of. */
  String table();

  /** The business key of {@code table()}; no two rows of a date may share it. */
  List<String> keyFields();

  /** Computes the rows of {@code date} from the data available now. */
  List<Map<String, Object>> compute(LocalDate date);
}
