package dev.pipelinereliability.examples.pipeline;

import java.util.Map;

/** Phase 3: points each team allowed in each game (its opponent's points). */
public final class TeamDefenseProcessor extends TeamGameProcessor {

  /**
   * Creates the processor on {@code services}.
   *
   * @param services the shared services
   */
  public TeamDefenseProcessor(PipelineServices services) {
    super(services, "team_defense_game_summary");
  }

  @Override
  protected Map<String, Object> columns(TeamGames team) {
    return Map.of("points_allowed", team.opponentPoints());
  }
}
