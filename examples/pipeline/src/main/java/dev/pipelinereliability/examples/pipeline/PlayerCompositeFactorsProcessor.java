package dev.pipelinereliability.examples.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Phase 4: per player, a composite scoring factor precomputed from the Phase 3 summary. */
public final class PlayerCompositeFactorsProcessor extends Phase4Processor {

  /** Creates the processor on {@code services}. */
  public PlayerCompositeFactorsProcessor(PipelineServices services) {
    super(services, "player_composite_factors", "player_lookup");
  }

  @Override
  public List<Map<String, Object>> compute(LocalDate date) {
    return services().tables().rows("player_game_summary", date).stream()
        .map(
            p ->
                stamped(
                    date,
                    Map.of(
                        "player_lookup",
                        p.get("player_lookup"),
                        "scoring_factor",
                        (Long) requireNonNull(p.get("points"), "points") * 0.8
                            + (Long) requireNonNull(p.get("minutes"), "minutes") * 0.2)))
        .toList();
  }
}
