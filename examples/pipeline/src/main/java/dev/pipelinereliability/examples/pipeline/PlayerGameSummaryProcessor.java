package dev.pipelinereliability.examples.pipeline;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 3: one row per player per game, straight from the gamebook. */
public final class PlayerGameSummaryProcessor extends Phase3Processor {

  /** Creates the processor on {@code services}. */
  public PlayerGameSummaryProcessor(PipelineServices services) {
    super(services, "player_game_summary", "game_id", "player_lookup");
  }

  @Override
  public List<Map<String, Object>> compute(LocalDate date) {
    return services().feed().read(SourceFeed.GAMEBOOK, date).stream()
        .map(player -> stamped(date, player))
        .toList();
  }
}
