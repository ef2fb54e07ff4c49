package dev.pipelinereliability.testkit.validation;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.dedup.DedupKey;
import dev.pipelinereliability.dedup.KeyValues;
import dev.pipelinereliability.telemetry.ReliabilityTelemetry;
import dev.pipelinereliability.telemetry.ValidationMetrics;
import dev.pipelinereliability.validation.DuplicateCheck;
import dev.pipelinereliability.validation.DuplicateReport;
import dev.pipelinereliability.validation.DuplicateSample;
import dev.pipelinereliability.validation.DuplicateValidator;
import dev.pipelinereliability.validation.PartitionFilter;
import dev.pipelinereliability.validation.ValidationException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DuplicateValidator} over tables of map rows held in memory, for unit tests of
 * processors. It groups keys exactly as BigQuery's {@code GROUP BY} would ({@link KeyValues}): a
 * field absent from a row reads as NULL, as a nullable column does, and NULLs group together.
 *
 * <p>Thread-safe: tables may be replaced while checks run; each check sees one version of a table.
 */
public final class InMemoryDuplicateValidator implements DuplicateValidator {

  private final Map<String, List<Map<String, Object>>> tables = new ConcurrentHashMap<>();
  private final ValidationMetrics metrics;

  /**
   * Creates a validator with no tables that reports to {@link GlobalOpenTelemetry#get()}, read now.
   */
  public InMemoryDuplicateValidator() {
    this(GlobalOpenTelemetry.get());
  }

  /**
   * Creates a validator with no tables that reports what it finds ({@code
   * pipeline_reliability.validation.*}, by table) to {@code openTelemetry}.
   *
   * @param openTelemetry the OpenTelemetry instance
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public InMemoryDuplicateValidator(OpenTelemetry openTelemetry) {
    this.metrics = ReliabilityTelemetry.of(openTelemetry).validation();
  }

  /**
   * Sets the rows of {@code table}, replacing any earlier rows.
   *
   * @param table the table id used in checks
   * @param rows the rows; copied
   * @throws IllegalArgumentException if {@code table} is blank
   * @throws NullPointerException if {@code table}, {@code rows} or a row is null
   */
  public void putTable(String table, List<? extends Map<String, ?>> rows) {
    requireNonNull(table, "table");
    requireNonNull(rows, "rows");
    if (table.isBlank()) {
      throw new IllegalArgumentException("table is blank: '" + table + "'");
    }
    List<Map<String, Object>> copy = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == null) {
        throw new NullPointerException("row " + i + " of " + table + " is null");
      }
      copy.add(Collections.unmodifiableMap(new HashMap<>(rows.get(i))));
    }
    tables.put(table, Collections.unmodifiableList(copy));
  }

  /**
   * Removes {@code table}; later checks of it fail as for a missing table.
   *
   * @param table the table id
   */
  public void dropTable(String table) {
    tables.remove(table);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException if the table was never put (as BigQuery reports "Not found")
   */
  @Override
  public DuplicateReport validate(DuplicateCheck check) {
    List<Map<String, Object>> rows = tables.get(check.table());
    if (rows == null) {
      throw new ValidationException("table " + check.table() + " not found");
    }
    Map<DedupKey, long[]> counts = new HashMap<>();
    long total = 0;
    for (Map<String, Object> row : rows) {
      if (check.partition().isPresent() && !inPartition(row, check.partition().get())) {
        continue;
      }
      total++;
      List<Object> key = new ArrayList<>(check.keyColumns().size());
      for (String column : check.keyColumns()) {
        key.add(row.get(column));
      }
      counts.computeIfAbsent(DedupKey.of(key), k -> new long[1])[0]++;
    }
    long duplicateKeys = 0;
    long excess = 0;
    List<DuplicateSample> duplicates = new ArrayList<>();
    for (Map.Entry<DedupKey, long[]> e : counts.entrySet()) {
      long c = e.getValue()[0];
      if (c > 1) {
        duplicateKeys++;
        excess += c - 1;
        duplicates.add(new DuplicateSample(e.getKey().values(), c));
      }
    }
    duplicates.sort(Comparator.comparingLong(DuplicateSample::count).reversed());
    List<DuplicateSample> samples =
        duplicates.subList(0, Math.min(check.sampleLimit(), duplicates.size()));
    metrics.validated(check.table(), duplicateKeys, excess);
    return new DuplicateReport(check, total, duplicateKeys, excess, samples);
  }

  private static boolean inPartition(Map<String, Object> row, PartitionFilter filter) {
    // SQL equality: a NULL partition value never matches.
    Object v = row.get(filter.column());
    return v != null && KeyValues.same(v, filter.value());
  }
}
