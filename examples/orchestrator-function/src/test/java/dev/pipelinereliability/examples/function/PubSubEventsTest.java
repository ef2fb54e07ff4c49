package dev.pipelinereliability.examples.function;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.pipelinereliability.examples.function.local.EventarcPubSub;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PubSubEventsTest {
  private static CloudEvent event(String type, @Nullable String body) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId("2070443601311540")
            .withSource(URI.create("//pubsub.googleapis.com/projects/p/topics/t"))
            .withType(type);
    return body == null
        ? builder.build()
        : builder.withData("application/json", body.getBytes(UTF_8)).build();
  }

  @Test
  void readsEventarcsDocumentedExample() {
    // The Pub/Sub example of https://cloud.google.com/eventarc/docs/cloudevents, with the
    // "@type" field the Functions Framework's own fixture carries.
    String body =
        "{\"subscription\": \"projects/my-project/subscriptions/my-sub\", \"message\": {"
            + "\"@type\": \"type.googleapis.com/google.pubsub.v1.PubsubMessage\","
            + "\"attributes\": {\"attr1\":\"attr1-value\"}, \"data\": \"aGVsbG8gd29ybGQ=\","
            + "\"messageId\": \"2070443601311540\", \"publishTime\":\"2021-02-26T19:13:55.749Z\"}}";

    PubsubMessage message = PubSubEvents.message(event(PubSubEvents.MESSAGE_PUBLISHED, body));

    assertThat(message.getMessageId()).isEqualTo("2070443601311540");
    assertThat(message.getAttributesMap()).containsEntry("attr1", "attr1-value");
    assertThat(message.getData().toStringUtf8()).isEqualTo("hello world");
    assertThat(message.getPublishTime().getSeconds()).isEqualTo(1614366835L);
  }

  @Test
  void readsWhatEventarcPubSubWrites() {
    PubsubMessage sent =
        PubsubMessage.newBuilder()
            .setMessageId("42")
            .setData(ByteString.copyFromUtf8("x"))
            .putAttributes("phase", "phase3")
            .build();
    String body = new EventarcPubSub("p", "t", "s").body(sent);

    assertThat(PubSubEvents.message(event(PubSubEvents.MESSAGE_PUBLISHED, body))).isEqualTo(sent);
  }

  @Test
  void unreadableEventsAreRejectedNamingTheEvent() {
    assertThatThrownBy(
            () -> PubSubEvents.message(event("google.cloud.storage.object.v1.finalized", "{}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "event 2070443601311540 has type 'google.cloud.storage.object.v1.finalized'");
    assertThatThrownBy(() -> PubSubEvents.message(event(PubSubEvents.MESSAGE_PUBLISHED, null)))
        .hasMessageContaining("event 2070443601311540 has no data");
    assertThatThrownBy(
            () -> PubSubEvents.message(event(PubSubEvents.MESSAGE_PUBLISHED, "{not json")))
        .hasMessageContaining("data is not JSON");
    assertThatThrownBy(() -> PubSubEvents.message(event(PubSubEvents.MESSAGE_PUBLISHED, "[1]")))
        .hasMessageContaining("no \"message\" object");
    assertThatThrownBy(
            () ->
                PubSubEvents.message(
                    event(PubSubEvents.MESSAGE_PUBLISHED, "{\"message\":{\"data\":\"%%%\"}}")))
        .hasMessageContaining("message is not a Pub/Sub message");
  }

  @Test
  void aMalformedEventIsAcknowledgedWithoutBuildingAnyClient() {
    // No configuration exists in this JVM: had accept() waited for its clients, it would throw.
    new OrchestratorFunction().accept(event(PubSubEvents.MESSAGE_PUBLISHED, "{\"message\":{}}"));
  }
}
