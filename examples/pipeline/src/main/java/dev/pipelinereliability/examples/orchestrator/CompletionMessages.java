package dev.pipelinereliability.examples.orchestrator;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.pipeline.CompletionMessage;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Completion messages on Pub/Sub: every field is an attribute, so the message needs no body and no
 * JSON library. Stateless and thread-safe.
 */
public final class CompletionMessages {
  private CompletionMessages() {}

  /** The Pub/Sub message for {@code message}. */
  public static PubsubMessage toPubsub(CompletionMessage message) {
    return PubsubMessage.newBuilder()
        .setData(ByteString.EMPTY)
        .putAttributes("phase", message.phase())
        .putAttributes("game_date", message.date().toString())
        .putAttributes("processor", message.processor())
        .putAttributes("message_id", message.messageId())
        .putAttributes("row_count", Long.toString(message.rowCount()))
        .putAttributes("fencing_token", Long.toString(message.fencingToken()))
        .build();
  }

  /**
   * Reads a completion message.
   *
   * @throws IllegalArgumentException naming the attribute, if one is missing or malformed
   */
  public static CompletionMessage fromPubsub(PubsubMessage message) {
    Map<String, String> a = message.getAttributesMap();
    return new CompletionMessage(
        required(a, "phase"),
        date(required(a, "game_date")),
        required(a, "processor"),
        required(a, "message_id"),
        number(a, "row_count"),
        number(a, "fencing_token"));
  }

  private static String required(Map<String, String> attributes, String name) {
    String value = attributes.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("completion message lacks attribute '" + name + "'");
    }
    return value;
  }

  private static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "game_date must be yyyy-MM-dd, but was '" + value + "'", e);
    }
  }

  private static long number(Map<String, String> attributes, String name) {
    String value = required(attributes, name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number, but was '" + value + "'", e);
    }
  }
}
