package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 3: per player, the minutes and scoring rate the next game's context starts from. */
public final class UpcomingPlayerContextProcessor extends Phase3Processor {

  /** Creates the processor on {@code services}. */
  public UpcomingPlayerContextProcessor(PipelineServices services) {
    super(services, "upcoming_player_game_context", "game_id", "player_lookup");
  }

  @Override
  public List<Map<String, Object>> compute(LocalDate date) {
    return services().feed().read(SourceFeed.GAMEBOOK, date).stream()
        .map(
            p ->
                stamped(
                    date,
                    Map.of(
                        "game_id", p.get("game_id"),
                        "player_lookup", p.get("player_lookup"),
                        "minutes_last_game", p.get("minutes"),
                        "points_per_minute", perMinute(p))))
        .toList();
  }

  private static double perMinute(Map<String, Object> player) {
    long minutes = (Long) requireNonNull(player.get("minutes"), "minutes");
    return minutes == 0
        ? 0.0
        : (Long) requireNonNull(player.get("points"), "points") / (double) minutes;
  }
}
