package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 3: points each team allowed in each game (its opponent's points). */
public final class TeamDefenseProcessor extends Phase3Processor {

  /** Creates the processor on {@code services}. */
  public TeamDefenseProcessor(PipelineServices services) {
    super(services, "team_defense_game_summary", "game_id", "team_abbr");
  }

  @Override
  public List<Map<String, Object>> compute(LocalDate date) {
    return TeamGames.of(services().feed().read(SourceFeed.GAMEBOOK, date)).stream()
        .map(
            team ->
                stamped(
                    date,
                    Map.of(
                        "game_id", team.gameId(),
                        "team_abbr", team.team(),
                        "points_allowed", team.opponentPoints())))
        .toList();
  }
}
