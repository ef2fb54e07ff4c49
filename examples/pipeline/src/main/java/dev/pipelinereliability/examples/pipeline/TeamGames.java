package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One team's totals in one game, derived from gamebook player rows; what a {@link
 * TeamGameProcessor} computes its row from. Immutable.
 *
 * @param gameId the game
 * @param team the team
 * @param players players who appeared
 * @param points points the team scored
 * @param opponentPoints points the opponent scored
 */
public record TeamGames(
    String gameId, String team, long players, long points, long opponentPoints) {

  /**
   * Totals per team per game, in first-seen order.
   *
   * @param players gamebook player rows, each with {@code game_id}, {@code team_abbr} and {@code
   *     points} (a {@code Long})
   * @return one entry per team per game
   * @throws NullPointerException if a row lacks one of those fields
   * @throws ClassCastException if a field has another type
   */
  public static List<TeamGames> of(List<Map<String, Object>> players) {
    Map<String, Map<String, long[]>> byGame = new LinkedHashMap<>();
    for (Map<String, Object> p : players) {
      long[] totals =
          byGame
              .computeIfAbsent((String) p.get("game_id"), g -> new LinkedHashMap<>())
              .computeIfAbsent((String) p.get("team_abbr"), t -> new long[2]);
      totals[0]++;
      totals[1] += (Long) requireNonNull(p.get("points"), "points");
    }
    List<TeamGames> result = new ArrayList<>();
    byGame.forEach(
        (gameId, teams) ->
            teams.forEach(
                (team, totals) -> {
                  long opponent =
                      teams.entrySet().stream()
                          .filter(e -> !e.getKey().equals(team))
                          .mapToLong(e -> e.getValue()[1])
                          .sum();
                  result.add(new TeamGames(gameId, team, totals[0], totals[1], opponent));
                }));
    return result;
  }
}
