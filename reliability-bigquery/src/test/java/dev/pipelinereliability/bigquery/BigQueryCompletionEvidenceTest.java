package dev.pipelinereliability.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pipelinereliability.bigquery.internal.Sql;
import dev.pipelinereliability.bigquery.internal.TableRef;
import dev.pipelinereliability.completion.LandedRows;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BigQueryCompletionEvidenceTest {
  private static final LocalDate FROM = LocalDate.of(2026, 11, 20);
  private static final LocalDate TO = LocalDate.of(2026, 11, 23);
  private FakeBigQueryServer server;
  private BigQueryCompletionEvidence evidence;

  @BeforeEach
  void start() throws Exception {
    server = new FakeBigQueryServer();
    evidence = BigQueryCompletionEvidence.create(server.client(), "game_date");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sqlCountsRowsPerDateUnderBoundRange() {
    assertThat(Sql.landedRows(TableRef.parse("nba.player_game_summary"), "game_date"))
        .isEqualTo(
            """
            SELECT `game_date` AS landed_date, COUNT(*) AS row_count
            FROM `nba`.`player_game_summary`
            WHERE `game_date` BETWEEN @from_date AND @to_date
            GROUP BY landed_date""");
  }

  @Test
  void countsArriveParsedPerTableAndDatesAreBound() {
    server.answerQuery(
        200,
        """
        {"kind":"bigquery#queryResponse",
         "schema":{"fields":[{"name":"landed_date","type":"DATE","mode":"NULLABLE"},
                             {"name":"row_count","type":"INTEGER","mode":"NULLABLE"}]},
         "jobReference":{"projectId":"test-project","jobId":"job_ev","location":"US"},
         "totalRows":"2",
         "rows":[{"f":[{"v":"2026-11-21"},{"v":"348"}]},{"f":[{"v":"2026-11-23"},{"v":"12"}]}],
         "totalBytesProcessed":"4096","jobComplete":true,"cacheHit":false}
        """);

    LandedRows rows = evidence.landedRows(Set.of("nba.player_game_summary"), FROM, TO);

    assertThat(rows.rows("nba.player_game_summary", LocalDate.of(2026, 11, 21))).isEqualTo(348);
    assertThat(rows.rows("nba.player_game_summary", LocalDate.of(2026, 11, 23))).isEqualTo(12);
    assertThat(rows.rows("nba.player_game_summary", LocalDate.of(2026, 11, 22))).isZero();
    List<FakeBigQueryServer.Request> queries = server.requests("POST", "/queries");
    assertThat(queries).hasSize(1);
    JsonObject request = JsonParser.parseString(queries.get(0).body()).getAsJsonObject();
    assertThat(request.get("query").getAsString()).doesNotContain("2026");
    assertThat(request.getAsJsonArray("queryParameters").toString())
        .contains("\"from_date\"", "\"2026-11-20\"", "\"to_date\"", "\"2026-11-23\"");
  }

  @Test
  void failedQueryIsWrapped() {
    server.answerQuery(
        403,
        FakeBigQueryServer.error(
            403, "Access Denied: Table nba.x", "accessDenied", "PERMISSION_DENIED"));

    assertThatThrownBy(() -> evidence.landedRows(Set.of("nba.x"), FROM, TO))
        .isInstanceOf(BigQueryReadException.class)
        .hasMessageContaining("Access Denied");
  }

  @Test
  void hostileTableOrReversedRangeIsRejectedBeforeAnyRequest() {
    assertThatThrownBy(() -> evidence.landedRows(Set.of("nba.x`; DROP TABLE y"), FROM, TO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> evidence.landedRows(Set.of("nba.x"), TO, FROM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BigQueryCompletionEvidence.create(server.client(), "d;ate"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
  }
}
