package dev.pipelinereliability.examples.pipeline;

import java.util.Map;

/** Phase 3: per team, how many players appeared and the margin it played to. */
public final class UpcomingTeamContextProcessor extends TeamGameProcessor {

  /**
   * Creates the processor on {@code services}.
   *
   * @param services the shared services
   */
  public UpcomingTeamContextProcessor(PipelineServices services) {
    super(services, "upcoming_team_game_context");
  }

  @Override
  protected Map<String, Object> columns(TeamGames team) {
    return Map.of("players", team.players(), "margin", team.points() - team.opponentPoints());
  }
}
