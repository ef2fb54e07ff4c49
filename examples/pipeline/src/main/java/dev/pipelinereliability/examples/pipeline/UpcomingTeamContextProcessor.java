package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 3: per team, how many players appeared and the margin it played to. */
public final class UpcomingTeamContextProcessor extends Phase3Processor {

  /** Creates the processor on {@code services}. */
  public UpcomingTeamContextProcessor(PipelineServices services) {
    super(services, "upcoming_team_game_context", "game_id", "team_abbr");
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
                        "players", team.players(),
                        "margin", team.points() - team.opponentPoints())))
        .toList();
  }
}
