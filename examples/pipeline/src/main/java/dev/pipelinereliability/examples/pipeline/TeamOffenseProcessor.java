package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 3: points each team scored in each game. */
public final class TeamOffenseProcessor extends Phase3Processor {

  /** Creates the processor on {@code services}. */
  public TeamOffenseProcessor(PipelineServices services) {
    super(services, "team_offense_game_summary", "game_id", "team_abbr");
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
                        "points_scored", team.points())))
        .toList();
  }
}
