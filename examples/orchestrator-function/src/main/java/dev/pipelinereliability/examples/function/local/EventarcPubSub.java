package dev.pipelinereliability.examples.function.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.function.PubSubEvents;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds the HTTP request Eventarc sends a function for a Pub/Sub topic trigger, so a function
 * served locally receives exactly what it would receive deployed: a POST to {@code /} in
 * CloudEvents binary content mode, with headers {@code ce-id} (the message id), {@code ce-source},
 * {@code ce-specversion}, {@code ce-type}, {@code ce-time}, {@code Content-Type: application/json},
 * and the MessagePublishedData JSON as the body. See {@link PubSubEvents} for the sources of this
 * format.
 *
 * <p>Immutable and thread-safe.
 *
 * @param projectId the project of the topic and subscription
 * @param topic the topic id the message was published to
 * @param subscription the id of the push subscription Eventarc created for the trigger
 */
public record EventarcPubSub(String projectId, String topic, String subscription) {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  /**
   * Validates and creates the request factory.
   *
   * @param projectId the project of the topic and subscription
   * @param topic the topic id the message was published to
   * @param subscription the id of the push subscription Eventarc created for the trigger
   * @throws NullPointerException if any argument is null
   */
  public EventarcPubSub {
    requireNonNull(projectId, "projectId");
    requireNonNull(topic, "topic");
    requireNonNull(subscription, "subscription");
  }

  /**
   * Returns the request delivering {@code message} to the function at {@code function}.
   *
   * @param function the function's URL, e.g. {@code http://127.0.0.1:8080/}
   * @param message the published message; it must have its message id and publish time set, as
   *     Pub/Sub sets them
   * @param timeout how long the request may take
   * @return the request, ready for {@link java.net.http.HttpClient#send}
   * @throws IllegalArgumentException if the message has no id
   */
  public HttpRequest request(URI function, PubsubMessage message, Duration timeout) {
    if (message.getMessageId().isEmpty()) {
      throw new IllegalArgumentException("message has no messageId; Pub/Sub always sets one");
    }
    return raw(function, message.getMessageId(), body(message), timeout);
  }

  /**
   * Returns a request with Eventarc's headers for message {@code messageId} and {@code body} as it
   * is, for delivering bodies Pub/Sub would never produce.
   *
   * @param function the function's URL
   * @param messageId the value of {@code ce-id}
   * @param body the request body
   * @param timeout how long the request may take
   * @return the request
   */
  public HttpRequest raw(URI function, String messageId, String body, Duration timeout) {
    return HttpRequest.newBuilder(function)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("ce-id", messageId)
        .header("ce-source", "//pubsub.googleapis.com/projects/" + projectId + "/topics/" + topic)
        .header("ce-specversion", "1.0")
        .header("ce-type", PubSubEvents.MESSAGE_PUBLISHED)
        .header("ce-time", Instant.now().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
        .build();
  }

  /**
   * Returns the MessagePublishedData JSON for {@code message}: {@code {"message": {...},
   * "subscription": "projects/P/subscriptions/S"}}, the message in protobuf's JSON mapping (data in
   * base64).
   *
   * @param message the message
   * @return the JSON text
   */
  public String body(PubsubMessage message) {
    try {
      return "{\"message\":"
          + JSON.print(message)
          + ",\"subscription\":\"projects/"
          + projectId
          + "/subscriptions/"
          + subscription
          + "\"}";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a PubsubMessage always prints as JSON", e);
    }
  }
}
