package dev.pipelinereliability.health.alert;

import static java.util.Objects.requireNonNull;

import dev.pipelinereliability.health.AlertDeliveryException;
import dev.pipelinereliability.health.AlertSink;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.health.internal.Text;
import dev.pipelinereliability.internal.JsonWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An {@link AlertSink} that posts each finding to a Slack incoming webhook with {@code
 * java.net.http}, as one message: {@code {"text": "..."}} in Slack's mrkdwn.
 *
 * <p>The webhook URL is a credential (anyone holding it can post to the channel), so it comes from
 * configuration ({@link #fromEnvironment}, or {@link #builder} with a value read from a secret
 * manager), is never logged, and appears neither in {@link #toString()} nor in any exception
 * message. It must use {@code https}; {@code http} is accepted only for a loopback host, for tests.
 *
 * <p>Every request is bounded by a connect timeout and a request timeout (defaults 5 s and 10 s),
 * so an unreachable Slack cannot hold a health check job past its schedule. A request that fails,
 * times out or gets a non-2xx answer throws {@link AlertDeliveryException}; {@link
 * dev.pipelinereliability.health.HealthCheckRunner} catches it, so a failed alert never fails a
 * check. The sink does not retry: wrap it in a {@link SuppressingAlertSink}, which does not record
 * a failed delivery, so the next run tries again.
 *
 * <p>Thread-safe.
 */
public final class SlackWebhookAlertSink implements AlertSink {
  /** Default time allowed to open the connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default time allowed for the whole request, from sending to the answer's status line. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_BODY_IN_MESSAGE = 200;
  private static final String REDACTED = "<redacted>";

  private final URI webhook;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final HttpClient client;

  private SlackWebhookAlertSink(Builder builder) {
    this.webhook = builder.webhook;
    this.connectTimeout = builder.connectTimeout;
    this.requestTimeout = builder.requestTimeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Returns a builder for the webhook at {@code webhookUrl}.
   *
   * @param webhookUrl the webhook url
   * @return a builder for the webhook at {@code webhookUrl}
   * @throws IllegalArgumentException if the URL is not an absolute https URL (or http on a loopback
   *     host); the message names the scheme and host, never the secret path
   */
  public static Builder builder(String webhookUrl) {
    return new Builder(validate(requireNonNull(webhookUrl, "webhookUrl")));
  }

  /**
   * Returns a sink with default timeouts for the webhook URL in the environment variable {@code
   * variable}, for example {@code SLACK_WEBHOOK_URL} set from Secret Manager on Cloud Run.
   *
   * @param variable the variable
   * @return a sink with default timeouts for the webhook URL in the environment variable {@code
   *     variable}, for example {@code SLACK_WEBHOOK_URL} set from Secret Manager on Cloud Run
   * @throws IllegalStateException if the variable is unset or blank; the message names the variable
   * @throws IllegalArgumentException if its value is not a valid webhook URL (see {@link #builder})
   */
  public static SlackWebhookAlertSink fromEnvironment(String variable) {
    String value = System.getenv(requireNonNull(variable, "variable"));
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "environment variable " + variable + " must hold the Slack webhook URL, but is unset");
    }
    return builder(value.strip()).build();
  }

  private static URI validate(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      // The parser's message quotes the input, which holds the secret: say only that it is invalid.
      throw new IllegalArgumentException(
          "Slack webhook URL is not a valid URI (value withheld: it is a secret)");
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) {
      throw new IllegalArgumentException(
          "Slack webhook URL must be absolute with a host, but had scheme '"
              + scheme
              + "' and host '"
              + host
              + "'");
    }
    if (scheme.equalsIgnoreCase("https")) {
      return uri;
    }
    if (scheme.equalsIgnoreCase("http") && isLoopback(host)) {
      return uri;
    }
    throw new IllegalArgumentException(
        "Slack webhook URL must use https (http only on a loopback host), but had scheme '"
            + scheme
            + "' and host '"
            + host
            + "'");
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would be a network call during configuration.
    if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Posts {@code result} to the webhook.
   *
   * @throws AlertDeliveryException if the request could not be sent, timed out, was interrupted
   *     (the interrupt flag is restored) or was answered with a status other than 2xx
   */
  @Override
  public void send(CheckResult result) {
    HttpRequest request =
        HttpRequest.newBuilder(webhook)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(payload(result), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException(
          "Slack alert for '" + result.name() + "' was interrupted before it was delivered");
    } catch (IOException e) {
      // No cause attached: an I/O exception's message may quote the URL, which is a secret.
      throw new AlertDeliveryException(
          "Slack alert for '" + result.name() + "' failed: " + describe(e));
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String body = Text.oneLine(redact(response.body() == null ? "" : response.body()));
      if (body.length() > MAX_BODY_IN_MESSAGE) {
        body = body.substring(0, MAX_BODY_IN_MESSAGE) + "...";
      }
      throw new AlertDeliveryException(
          "Slack alert for '" + result.name() + "' was refused: HTTP " + status + " " + body);
    }
  }

  /** Returns {@code e}'s class and message with any occurrence of the webhook URL removed. */
  String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + redact(message));
  }

  private String redact(String text) {
    String out = text.replace(webhook.toString(), REDACTED);
    String path = webhook.getRawPath();
    if (path != null && path.length() > 1) {
      out = out.replace(path, REDACTED);
    }
    return out;
  }

  /**
   * Returns the JSON body posted for {@code result}: a Slack message whose text has the status, the
   * check's name, the message, and one bullet per detail. Slack's control characters ({@code &},
   * {@code <}, {@code >}) are escaped so a value cannot form a link or a mention.
   *
   * @param result the result
   * @return the JSON body posted for {@code result}: a Slack message whose text has the status, the
   *     check's name, the message, and one bullet per detail
   */
  public static String payload(CheckResult result) {
    StringBuilder text = new StringBuilder();
    text.append(icon(result.status()))
        .append(" *")
        .append(result.status())
        .append("* health check `")
        .append(slackEscape(Text.oneLine(result.name()).replace('`', '\'')))
        .append("`\n")
        .append(slackEscape(result.message()));
    for (Map.Entry<String, String> d : result.details().entrySet()) {
      text.append("\n\u2022 ")
          .append(slackEscape(Text.oneLine(d.getKey())))
          .append(": ")
          .append(slackEscape(Text.oneLine(d.getValue())));
    }
    return new JsonWriter().beginObject().name("text").value(text.toString()).endObject().toJson();
  }

  private static String icon(HealthStatus status) {
    return switch (status) {
      case OK -> ":white_check_mark:";
      case WARN -> ":warning:";
      case FAIL -> ":red_circle:";
      case ERROR -> ":x:";
    };
  }

  private static String slackEscape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Returns the timeouts; the webhook URL is always shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return "SlackWebhookAlertSink[webhook="
        + REDACTED
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }

  /** Configures a {@link SlackWebhookAlertSink}. Not thread-safe. */
  public static final class Builder {
    private final URI webhook;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder(URI webhook) {
      this.webhook = webhook;
    }

    /**
     * Sets the time allowed to open the connection.
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than a minute
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = checkTimeout("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets the time allowed for the whole request.
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than a minute
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = checkTimeout("requestTimeout", timeout);
      return this;
    }

    private static Duration checkTimeout(String what, Duration timeout) {
      requireNonNull(timeout, what);
      if (timeout.isZero()
          || timeout.isNegative()
          || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            what + " must be positive and at most 1 minute, but was " + timeout);
      }
      return timeout;
    }

    /**
     * Returns the sink.
     *
     * @return the sink
     */
    public SlackWebhookAlertSink build() {
      return new SlackWebhookAlertSink(this);
    }
  }
}
