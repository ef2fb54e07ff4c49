package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Grading: grades each points prediction (one per player, system and betting line) against the
 * player's actual points. Keyed like the legacy pipeline's grading table, where 190k duplicates
 * were found.
 */
public final class PredictionGradingProcessor extends GradingProcessor {
  /** The prediction system graded here. */
  public static final String SYSTEM = "ensemble_v1";

  /** Creates the processor on {@code services}. */
  public PredictionGradingProcessor(PipelineServices services) {
    super(services, "prediction_accuracy", "player_lookup", "game_id", "system_id", "line_value");
  }

  @Override
  public List<Map<String, Object>> compute(LocalDate date) {
    return services().tables().rows("player_game_summary", date).stream()
        .map(p -> stamped(date, grade(p)))
        .toList();
  }

  private static Map<String, Object> grade(Map<String, Object> p) {
    double line = (Long) requireNonNull(p.get("minutes"), "minutes") / 2 + 0.5;
    boolean correct =
        ((Long) requireNonNull(p.get("minutes"), "minutes") > 20)
            == ((Long) requireNonNull(p.get("points"), "points") > line);
    return Map.of(
        "player_lookup", p.get("player_lookup"),
        "game_id", p.get("game_id"),
        "system_id", SYSTEM,
        "line_value", line,
        "correct", correct);
  }
}
