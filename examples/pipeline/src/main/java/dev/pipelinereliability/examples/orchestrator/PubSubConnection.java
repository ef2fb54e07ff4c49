package dev.pipelinereliability.examples.orchestrator;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How the orchestrator reaches Pub/Sub: a project, and either the default production transport or a
 * plaintext channel to an emulator ({@link #emulator(String, String)}). Makes publishers,
 * subscribers and the admin calls the examples need. Close it to shut the emulator channel down.
 *
 * <p>Thread-safe.
 */
public final class PubSubConnection implements AutoCloseable {
  private final String projectId;
  // All three null for production Pub/Sub, which the client reaches with its own defaults.
  private final @Nullable ManagedChannel channel;
  private final @Nullable TransportChannelProvider channels;
  private final @Nullable CredentialsProvider credentials;

  private PubSubConnection(String projectId, @Nullable ManagedChannel channel) {
    this.projectId = requireNonNull(projectId, "projectId");
    this.channel = channel;
    this.channels =
        channel == null
            ? null
            : FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    this.credentials = channel == null ? null : NoCredentialsProvider.create();
  }

  /** Connects to the Pub/Sub emulator at {@code hostPort} (as in {@code PUBSUB_EMULATOR_HOST}). */
  public static PubSubConnection emulator(String hostPort, String projectId) {
    return new PubSubConnection(
        projectId, ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build());
  }

  /** Connects to production Pub/Sub with application default credentials. */
  public static PubSubConnection production(String projectId) {
    return new PubSubConnection(projectId, null);
  }

  /** The project. */
  public String projectId() {
    return projectId;
  }

  /**
   * A publisher for {@code topic}; the caller shuts it down.
   *
   * @throws UncheckedIOException if the client cannot be created
   */
  public Publisher publisher(String topic) {
    Publisher.Builder builder = Publisher.newBuilder(TopicName.of(projectId, topic));
    if (channel != null) {
      builder.setChannelProvider(channels).setCredentialsProvider(credentials);
    }
    try {
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a publisher for " + topic, e);
    }
  }

  /** A subscriber on {@code subscription} delivering to {@code receiver}; the caller starts it. */
  public Subscriber subscriber(String subscription, MessageReceiver receiver) {
    Subscriber.Builder builder =
        Subscriber.newBuilder(ProjectSubscriptionName.of(projectId, subscription), receiver);
    if (channel != null) {
      builder.setChannelProvider(channels).setCredentialsProvider(credentials);
    }
    return builder.build();
  }

  /**
   * Creates {@code topic} and a pull {@code subscription} on it with a 10 s acknowledgement
   * deadline.
   *
   * @throws UncheckedIOException if the admin clients cannot be created
   */
  public void createTopicAndSubscription(String topic, String subscription) {
    TopicAdminSettings.Builder topics = TopicAdminSettings.newBuilder();
    SubscriptionAdminSettings.Builder subscriptions = SubscriptionAdminSettings.newBuilder();
    // Set together with the channel in the constructor: all null, or none.
    TransportChannelProvider emulatorChannels = channels;
    CredentialsProvider emulatorCredentials = credentials;
    if (emulatorChannels != null && emulatorCredentials != null) {
      topics
          .setTransportChannelProvider(emulatorChannels)
          .setCredentialsProvider(emulatorCredentials);
      subscriptions
          .setTransportChannelProvider(emulatorChannels)
          .setCredentialsProvider(emulatorCredentials);
    }
    try (TopicAdminClient topicAdmin = TopicAdminClient.create(topics.build());
        SubscriptionAdminClient subscriptionAdmin =
            SubscriptionAdminClient.create(subscriptions.build())) {
      topicAdmin.createTopic(TopicName.of(projectId, topic));
      subscriptionAdmin.createSubscription(
          SubscriptionName.of(projectId, subscription),
          TopicName.of(projectId, topic),
          PushConfig.getDefaultInstance(),
          10);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + topic + " / " + subscription, e);
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdown();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
