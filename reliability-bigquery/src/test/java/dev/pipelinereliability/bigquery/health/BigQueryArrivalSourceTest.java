package dev.pipelinereliability.bigquery.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.BigQueryException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pipelinereliability.bigquery.FakeBigQueryServer;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.freshness.ArrivalSource;
import dev.pipelinereliability.health.freshness.ArrivalUnavailableException;
import dev.pipelinereliability.health.freshness.FreshnessCheck;
import dev.pipelinereliability.health.freshness.SourceFreshness;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.health.ArrivalSourceContract;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the arrival-source contract, the golden SQL and the client plumbing against the real
 * BigQuery client talking to the module's loopback {@link FakeBigQueryServer} (BigQuery has no
 * emulator that runs here), which answers the arrival query the way BigQuery does: one row, one
 * nullable TIMESTAMP column holding the latest load recorded for the bound date.
 */
class BigQueryArrivalSourceTest extends ArrivalSourceContract {
  private static final String TABLE = "nba_raw.odds_api_props";
  private static final LocalDate DATE = LocalDate.parse("2024-11-20");

  private final FakeBigQueryServer server;
  private final BigQueryArrivalSource source;
  private final Map<LocalDate, Instant> latest = new ConcurrentHashMap<>();

  BigQueryArrivalSourceTest() throws IOException {
    server = new FakeBigQueryServer();
    server.answerQueriesWith(this::answerArrivalQuery);
    source =
        BigQueryArrivalSource.builder(server.client(), TABLE)
            .dateColumn("game_date")
            .loadedAtColumn("processed_at")
            .maximumBytesBilled(10_000_000L)
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Records a load at {@code at} for {@code date}; the latest one wins, as MAX would. */
  private void recordLoad(LocalDate date, Instant at) {
    latest.merge(date, at.truncatedTo(ChronoUnit.MICROS), (a, b) -> a.isAfter(b) ? a : b);
  }

  /**
   * BigQuery's answer to the arrival query for the bound date: TIMESTAMP as float seconds, or as
   * int64 microseconds when the client asks for that.
   */
  private FakeBigQueryServer.Answer answerArrivalQuery(JsonObject request) {
    Instant at = null;
    for (JsonElement p : request.getAsJsonArray("queryParameters")) {
      JsonObject o = p.getAsJsonObject();
      if (o.get("name").getAsString().equals(BigQueryArrivalSource.DATE_PARAMETER)) {
        at =
            latest.get(
                LocalDate.parse(o.getAsJsonObject("parameterValue").get("value").getAsString()));
      }
    }
    String value = "null";
    if (at != null) {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
      boolean int64 = request.toString().contains("\"useInt64Timestamp\":true");
      value =
          "\""
              + (int64
                  ? Long.toString(micros)
                  : new BigDecimal(micros).movePointLeft(6).toPlainString())
              + "\"";
    }
    return new FakeBigQueryServer.Answer(
        200,
        FakeBigQueryServer.queryResult(
            "[{\"name\":\"latest_arrival\",\"type\":\"TIMESTAMP\",\"mode\":\"NULLABLE\"}]",
            List.of(List.of(value))));
  }

  private List<String> requestBodies() {
    return server.requests().stream().map(FakeBigQueryServer.Request::body).toList();
  }

  @Override
  protected ArrivalSource source() {
    return source;
  }

  @Override
  protected void recordArrival(LocalDate date, Instant at) {
    recordLoad(date, at);
  }

  @Override
  protected void makeUnreachable() {
    server.failEveryRequest(404);
  }

  @Test
  void sqlIsOneAggregateOverQuotedIdentifiersWithTheDateAsAParameter() {
    assertThat(source.sql())
        .isEqualTo(
            """
            SELECT MAX(`processed_at`) AS latest_arrival
            FROM `nba_raw`.`odds_api_props`
            WHERE `game_date` = @data_date\
            """);
  }

  @Test
  void theDateIsSentAsABoundDateParameterNeverAsSqlText() {
    source.latestArrival(DATE);

    String body = requestBodies().get(0);
    assertThat(body)
        .contains("\"name\":\"data_date\"")
        .contains("\"type\":\"DATE\"")
        .contains("\"value\":\"2024-11-20\"")
        .contains("\"useLegacySql\":false")
        .contains("\"maximumBytesBilled\":\"10000000\"");
    assertThat(body.replace("\"value\":\"2024-11-20\"", "")).doesNotContain("2024-11-20");
  }

  @Test
  void aMicrosecondTimestampIsReadExactly() {
    Instant at = Instant.parse("2024-11-21T19:45:00.123456Z");
    recordLoad(DATE, at);
    assertThat(source.latestArrival(DATE)).contains(at);
  }

  @Test
  void aMissingTableIsUnavailableWithTheClientsExceptionAsCause() {
    server.failEveryRequest(404);
    assertThatThrownBy(() -> source.latestArrival(DATE))
        .isInstanceOf(ArrivalUnavailableException.class)
        .hasCauseInstanceOf(BigQueryException.class)
        .hasMessageContaining("nba_raw.odds_api_props");
  }

  @Test
  void aFreshnessCheckOnAnUnreachableTableExitsTwo() {
    server.failEveryRequest(404);
    FakeClock clock = FakeClock.at(Instant.parse("2024-11-21T13:00:00Z"));
    SourceFreshness rule =
        SourceFreshness.builder("odds-api")
            .expectedAt(LocalTime.of(6, 0), ZoneId.of("America/New_York"))
            .daysAfter(1)
            .errorAfter(Duration.ofHours(4))
            .build();

    HealthReport report =
        HealthCheckRunner.builder()
            .clock(clock)
            .addCheck(new FreshnessCheck(rule, source, DATE, clock))
            .build()
            .run();

    assertThat(report.results().get(0).status()).isEqualTo(HealthStatus.ERROR);
    assertThat(report.exitCode()).isEqualTo(2);
  }

  @Test
  void badIdentifiersAreRejectedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> BigQueryArrivalSource.builder(server.client(), "ds.t`; DROP"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> BigQueryArrivalSource.builder(server.client(), TABLE).dateColumn("game date"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("game date");
    assertThatThrownBy(() -> BigQueryArrivalSource.builder(server.client(), TABLE).build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(requestBodies()).isEmpty();
  }
}
