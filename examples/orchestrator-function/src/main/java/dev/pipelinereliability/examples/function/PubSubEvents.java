package dev.pipelinereliability.examples.function;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.pubsub.v1.PubsubMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Pub/Sub message out of the CloudEvent Eventarc delivers for a topic trigger.
 *
 * <p>Eventarc posts the event in binary content mode: the attributes are {@code ce-id} (the Pub/Sub
 * message id), {@code ce-source} ({@code //pubsub.googleapis.com/projects/P/topics/T}), {@code
 * ce-specversion: 1.0}, {@code ce-type: google.cloud.pubsub.topic.v1.messagePublished} and {@code
 * ce-time} headers, and the body ({@code Content-Type: application/json}) is the
 * MessagePublishedData JSON: {@code {"message": {"attributes": {...}, "data": "<base64>",
 * "messageId": "...", "publishTime": "..."}, "subscription": "projects/P/subscriptions/S"}}.
 * Source: https://cloud.google.com/eventarc/docs/cloudevents (section Pub/Sub), and the Functions
 * Framework's own fixture invoker/core/src/test/resources/pubsub_text-cloudevent-input.json in
 * GoogleCloudPlatform/functions-framework-java (tag java-function-invoker-v1.4.3). The message is
 * in protobuf's JSON mapping of {@link PubsubMessage}, so protobuf's own parser reads it.
 *
 * <p>Stateless and thread-safe.
 */
public final class PubSubEvents {
  /** The CloudEvent type of a Pub/Sub message published to a topic. */
  public static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  // Parsers are immutable; one serves every thread.
  private static final JsonFormat.Parser MESSAGE = JsonFormat.parser().ignoringUnknownFields();

  private PubSubEvents() {}

  /**
   * Returns the Pub/Sub message {@code event} carries.
   *
   * @param event a CloudEvent as the Functions Framework hands it to a {@code CloudEventsFunction}
   * @return the message, with its id, attributes, data and publish time
   * @throws IllegalArgumentException naming the event id, if the event is not a {@value
   *     #MESSAGE_PUBLISHED} event, has no data, or its data is not MessagePublishedData JSON
   */
  public static PubsubMessage message(CloudEvent event) {
    requireNonNull(event, "event");
    if (!MESSAGE_PUBLISHED.equals(event.getType())) {
      throw malformed(event, "has type '" + event.getType() + "', not " + MESSAGE_PUBLISHED, null);
    }
    CloudEventData data = event.getData();
    if (data == null) {
      throw malformed(event, "has no data", null);
    }
    JsonElement message;
    try {
      JsonElement body = JsonParser.parseString(new String(data.toBytes(), UTF_8));
      message = body.isJsonObject() ? body.getAsJsonObject().get("message") : null;
    } catch (JsonParseException e) {
      throw malformed(event, "data is not JSON", e);
    }
    if (message == null || !message.isJsonObject()) {
      throw malformed(event, "data has no \"message\" object", null);
    }
    PubsubMessage.Builder builder = PubsubMessage.newBuilder();
    try {
      MESSAGE.merge(message.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(event, "message is not a Pub/Sub message: " + e.getMessage(), e);
    }
    return builder.build();
  }

  private static IllegalArgumentException malformed(
      CloudEvent event, String problem, @Nullable Exception cause) {
    return new IllegalArgumentException("event " + event.getId() + " " + problem, cause);
  }
}
