package dev.pipelinereliability.examples.pipeline;

import java.util.Map;

/** Phase 3: points each team scored in each game. */
public final class TeamOffenseProcessor extends TeamGameProcessor {

  /**
   * Creates the processor on {@code services}.
   *
   * @param services the shared services
   */
  public TeamOffenseProcessor(PipelineServices services) {
    super(services, "team_offense_game_summary");
  }

  @Override
  protected Map<String, Object> columns(TeamGames team) {
    return Map.of("points_scored", team.points());
  }
}
