package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The game day of the incident, generated deterministically: 10 games and 348 player rows (34 to 36
 * players a game). The first two games are the early gamebook batch; the other eight arrive later.
 * Rows carry {@code game_id}, {@code team_abbr}, {@code player_lookup}, {@code points} and {@code
 * minutes}.
 *
 * <p>Immutable and thread-safe.
 */
public final class GameDay {
  /** Players per game; the sum is 348, the first two games (72 players) arrive early. */
  private static final int[] PLAYERS_PER_GAME = {36, 36, 34, 34, 34, 34, 35, 35, 35, 35};

  /** How many games the early batch holds. */
  public static final int EARLY_GAMES = 2;

  private static final String[] TEAMS = {
    "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW", "HOU", "IND", "LAC",
    "LAL", "MEM", "MIA", "MIL", "MIN", "NOP", "NYK"
  };

  private final LocalDate date;
  private final List<List<Map<String, Object>>> gamebookByGame;

  private GameDay(LocalDate date) {
    this.date = date;
    Random random = new Random(date.toEpochDay());
    List<List<Map<String, Object>>> games = new ArrayList<>();
    for (int g = 0; g < PLAYERS_PER_GAME.length; g++) {
      String gameId =
          date.toString().replace("-", "") + "_" + TEAMS[2 * g] + "_" + TEAMS[2 * g + 1];
      List<Map<String, Object>> players = new ArrayList<>();
      for (int p = 0; p < PLAYERS_PER_GAME[g]; p++) {
        String team = TEAMS[2 * g + (p % 2)];
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("game_id", gameId);
        row.put("team_abbr", team);
        row.put("player_lookup", team.toLowerCase(Locale.ROOT) + "player" + p);
        row.put("points", (long) random.nextInt(35));
        row.put("minutes", (long) random.nextInt(42));
        players.add(Map.copyOf(row));
      }
      games.add(List.copyOf(players));
    }
    this.gamebookByGame = List.copyOf(games);
  }

  /** Returns the incident's game day for {@code date}. */
  public static GameDay of(LocalDate date) {
    return new GameDay(date);
  }

  /** The game date. */
  public LocalDate date() {
    return date;
  }

  /** Number of games. */
  public int games() {
    return gamebookByGame.size();
  }

  /** Gamebook player rows of the early batch. */
  public List<Map<String, Object>> earlyBatch() {
    return flatten(gamebookByGame.subList(0, EARLY_GAMES));
  }

  /** Gamebook player rows of the late batch. */
  public List<Map<String, Object>> lateBatch() {
    return flatten(gamebookByGame.subList(EARLY_GAMES, gamebookByGame.size()));
  }

  /** Every gamebook player row. */
  public List<Map<String, Object>> allPlayers() {
    return flatten(gamebookByGame);
  }

  private static List<Map<String, Object>> flatten(List<List<Map<String, Object>>> games) {
    return games.stream().flatMap(List::stream).toList();
  }
}
