package dev.pipelinereliability.examples.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CompletionMessagesTest {
  private final CompletionMessage message =
      new CompletionMessage(
          "phase3", LocalDate.of(2026, 2, 3), "team_offense_game_summary", "m-1", 20, 7);

  @Test
  void roundTripsThroughAttributes() {
    PubsubMessage pubsub = CompletionMessages.toPubsub(message);

    assertThat(pubsub.getAttributesMap())
        .containsEntry("fencing_token", "7")
        .containsEntry("game_date", "2026-02-03");
    assertThat(CompletionMessages.fromPubsub(pubsub)).isEqualTo(message);
  }

  @Test
  void aMissingAttributeIsNamed() {
    PubsubMessage pubsub =
        CompletionMessages.toPubsub(message).toBuilder().removeAttributes("processor").build();

    assertThatThrownBy(() -> CompletionMessages.fromPubsub(pubsub))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'processor'");
  }

  @Test
  void malformedValuesAreNamed() {
    PubsubMessage badDate =
        CompletionMessages.toPubsub(message).toBuilder()
            .putAttributes("game_date", "3/2/2026")
            .build();
    PubsubMessage badToken =
        CompletionMessages.toPubsub(message).toBuilder()
            .putAttributes("fencing_token", "seven")
            .build();

    assertThatThrownBy(() -> CompletionMessages.fromPubsub(badDate))
        .hasMessageContaining("'3/2/2026'");
    assertThatThrownBy(() -> CompletionMessages.fromPubsub(badToken))
        .hasMessageContaining("'seven'");
  }
}
