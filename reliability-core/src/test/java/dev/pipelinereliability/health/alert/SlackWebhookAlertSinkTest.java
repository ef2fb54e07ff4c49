package dev.pipelinereliability.health.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipelinereliability.health.AlertDeliveryException;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthReport;
import dev.pipelinereliability.health.HealthStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the sink against a real HTTP server on loopback, standing in for hooks.slack.com. */
class SlackWebhookAlertSinkTest {
  /** Shaped like a real webhook path: the last segment is the secret. */
  private static final String SECRET_PATH = "/services/T000/B000/s3cr3tT0k3nXYZ";

  private record Received(String method, String contentType, String body) {}

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int answerStatus = 200;
  private volatile String answerBody = "ok";
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean stall;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(SECRET_PATH, this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            body));
    if (stall) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] answer = answerBody.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answerStatus, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
  }

  private SlackWebhookAlertSink sink() {
    return SlackWebhookAlertSink.builder(url()).build();
  }

  private static CheckResult lateScraper() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("expected", "2024-11-21T06:00-05:00");
    details.put("arrived", "2024-11-21T19:45:00Z");
    return CheckResult.fail(
        "freshness:odds-api:2024-11-20",
        "arrived at 14:45, 8h45m late (expected 06:00 America/New_York on 2024-11-21)",
        details);
  }

  @Test
  void postsOneJsonMessageWithStatusNameMessageAndDetails() {
    sink().send(lateScraper());

    assertThat(received).hasSize(1);
    Received r = received.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"text\":\":red_circle: *FAIL* health check `freshness:odds-api:2024-11-20`\\n"
                + "arrived at 14:45, 8h45m late (expected 06:00 America/New_York on 2024-11-21)\\n"
                + "\u2022 expected: 2024-11-21T06:00-05:00\\n"
                + "\u2022 arrived: 2024-11-21T19:45:00Z\"}");
  }

  @Test
  void slackControlCharactersAndJsonSpecialsAreEscaped() {
    sink()
        .send(
            CheckResult.warn(
                "dup", "<!channel> & \"quoted\"", Map.of("sample", "<https://evil|click>")));

    assertThat(received.get(0).body())
        .contains("&lt;!channel&gt; &amp; \\\"quoted\\\"")
        .contains("&lt;https://evil|click&gt;")
        .doesNotContain("<!channel>");
  }

  @Test
  void serverErrorThrowsAnAlertDeliveryExceptionWithoutTheUrl() {
    answerStatus = 500;
    answerBody = "internal error at " + SECRET_PATH;

    assertThatThrownBy(() -> sink().send(lateScraper()))
        .isInstanceOf(AlertDeliveryException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void slackRefusalSuchAsAnArchivedChannelIsADeliveryFailure() {
    answerStatus = 410;
    answerBody = "channel_is_archived";
    assertThatThrownBy(() -> sink().send(lateScraper()))
        .isInstanceOf(AlertDeliveryException.class)
        .hasMessageContaining("410 channel_is_archived");
  }

  @Test
  void aServerErrorNeverFailsTheCheckOrChangesTheExitCode() {
    answerStatus = 500;
    HealthCheck late = lateCheck();

    HealthReport report =
        HealthCheckRunner.builder().addCheck(late).addAlertSink(sink()).build().run();

    assertThat(received).hasSize(1);
    assertThat(report.results().get(0).status()).isEqualTo(HealthStatus.FAIL);
    assertThat(report.exitCode()).isEqualTo(1);
  }

  @Test
  void noLogLineEvenAtDebugShowsTheWebhookSecret() throws IOException {
    // src/test/resources/simplelogger.properties logs this library at DEBUG, stack traces included.
    answerStatus = 500;
    answerBody = "error at " + url(); // a server that echoes the URL must not leak it either
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SlackWebhookAlertSink refused = sink();
    SlackWebhookAlertSink unreachable =
        SlackWebhookAlertSink.builder("http://127.0.0.1:" + closedPort + SECRET_PATH).build();
    HealthCheck late = lateCheck();
    HealthCheckRunner runner =
        HealthCheckRunner.builder()
            .addCheck(late)
            .addAlertSink(refused)
            .addAlertSink(unreachable)
            .addAlertSink(
                new SuppressingAlertSink(
                    unreachable, Duration.ofHours(1), java.time.Clock.systemUTC()))
            .build();

    List<String> logged = linesLoggedDuring(runner::run);

    assertThat(logged)
        .as("each failed delivery is logged")
        .filteredOn(l -> l.contains("alert sink") && l.contains("failed"))
        .hasSize(3);
    assertThat(logged).noneMatch(l -> l.contains("s3cr3t") || l.contains("/services/T000"));
  }

  /** Every line slf4j-simple printed (it writes to whatever System.err is at the time). */
  private static List<String> linesLoggedDuring(Runnable action) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text.lines().toList();
  }

  @Test
  void aStalledWebhookIsCutOffByTheRequestTimeout() {
    // Real time is unavoidable here: the timeout is enforced by the JDK's HTTP client.
    stall = true;
    SlackWebhookAlertSink sink =
        SlackWebhookAlertSink.builder(url()).requestTimeout(Duration.ofMillis(300)).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> sink.send(lateScraper()))
        .isInstanceOf(AlertDeliveryException.class)
        .hasMessageContaining("HttpTimeoutException")
        .hasMessageNotContaining("s3cr3t");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aClosedPortIsADeliveryFailure() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SlackWebhookAlertSink sink =
        SlackWebhookAlertSink.builder("http://127.0.0.1:" + port + SECRET_PATH).build();

    assertThatThrownBy(() -> sink.send(lateScraper()))
        .isInstanceOf(AlertDeliveryException.class)
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void anInterruptedSendRestoresTheFlag() {
    Thread.currentThread().interrupt();
    try {
      stall = true;
      assertThatThrownBy(() -> sink().send(lateScraper()))
          .isInstanceOf(AlertDeliveryException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void toStringNeverShowsTheWebhookUrl() {
    assertThat(sink().toString()).doesNotContain("s3cr3t").doesNotContain("127.0.0.1");
  }

  @Test
  void failureDescriptionsRedactTheUrlAndItsPath() {
    SlackWebhookAlertSink sink = sink();
    assertThat(sink.describe(new IOException("cannot reach " + url())))
        .isEqualTo("IOException: cannot reach <redacted>");
    assertThat(sink.describe(new IOException("GET " + SECRET_PATH + " failed")))
        .isEqualTo("IOException: GET <redacted> failed");
  }

  @Test
  void plainHttpToANonLoopbackHostIsRejectedWithoutQuotingTheSecret() {
    assertThatThrownBy(() -> SlackWebhookAlertSink.builder("http://hooks.slack.com" + SECRET_PATH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https")
        .hasMessageContaining("hooks.slack.com")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aMalformedUrlIsRejectedWithoutQuotingIt() {
    assertThatThrownBy(() -> SlackWebhookAlertSink.builder("https://hooks slack/" + "s3cr3t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void anHttpsUrlIsAccepted() {
    assertThat(SlackWebhookAlertSink.builder("https://hooks.slack.com" + SECRET_PATH).build())
        .isNotNull();
  }

  @Test
  void outOfRangeTimeoutsAreRejected() {
    SlackWebhookAlertSink.Builder builder = SlackWebhookAlertSink.builder(url());
    assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2M");
  }

  @Test
  void aMissingEnvironmentVariableIsNamed() {
    String variable = "PIPELINE_RELIABILITY_TEST_UNSET_WEBHOOK_7";
    assertThat(System.getenv(variable)).isNull();
    assertThatThrownBy(() -> SlackWebhookAlertSink.fromEnvironment(variable))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(variable);
  }

  private static HealthCheck lateCheck() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "freshness:odds-api:2024-11-20";
      }

      @Override
      public CheckResult run() {
        return lateScraper();
      }
    };
  }
}
