package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase 3 template for a table with one row per team per game, keyed by ({@code game_id}, {@code
 * team_abbr}): a subclass names its table and says which columns it derives from a team's totals in
 * a game ({@link TeamGames}); this class reads the gamebook, groups it and adds the key.
 *
 * <p>Thread-safe if {@link #columns(TeamGames)} is.
 */
public abstract class TeamGameProcessor extends Phase3Processor {

  /**
   * Creates a processor writing {@code table}, keyed by {@code game_id} and {@code team_abbr}.
   *
   * @param services the shared services
   * @param table the table it writes
   */
  protected TeamGameProcessor(PipelineServices services, String table) {
    super(services, table, "game_id", "team_abbr");
  }

  /**
   * The table's columns besides the key, for one team in one game.
   *
   * @param team the team's totals in the game
   * @return column name to value; must not name {@code game_id} or {@code team_abbr}
   */
  protected abstract Map<String, Object> columns(TeamGames team);

  @Override
  public final List<Map<String, Object>> compute(LocalDate date) {
    return TeamGames.of(services().feed().read(SourceFeed.GAMEBOOK, date)).stream()
        .map(
            team -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("game_id", team.gameId());
              row.put("team_abbr", team.team());
              row.putAll(columns(team));
              return stamped(date, row);
            })
        .toList();
  }
}
