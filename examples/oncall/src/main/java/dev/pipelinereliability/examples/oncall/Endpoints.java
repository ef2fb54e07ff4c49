package dev.pipelinereliability.examples.oncall;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the stores are: the Firestore and Pub/Sub emulators and a local BigQuery endpoint, each
 * optional. With none, every store is production, reached with Application Default Credentials.
 * With any, the run is <em>local</em>: a store without a local address is refused rather than
 * reached in production, so that a command meant for an emulator cannot touch production data.
 *
 * <p>Immutable and thread-safe.
 *
 * @param firestoreEmulator the Firestore emulator's {@code host:port}, if any
 * @param pubsubEmulator the Pub/Sub emulator's {@code host:port}, if any
 * @param bigqueryEndpoint the base URL of a local BigQuery endpoint, if any
 */
record Endpoints(
    Optional<String> firestoreEmulator,
    Optional<String> pubsubEmulator,
    Optional<String> bigqueryEndpoint) {
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

  /** Whether any store was pointed away from production. */
  boolean local() {
    return firestoreEmulator.isPresent()
        || pubsubEmulator.isPresent()
        || bigqueryEndpoint.isPresent();
  }

  /** What this run talks to, for notes and errors. */
  String describe() {
    return "firestore "
        + firestoreEmulator.map(h -> "emulator " + h).orElse(local() ? "refused" : "production")
        + ", pubsub "
        + pubsubEmulator.map(h -> "emulator " + h).orElse(local() ? "refused" : "production")
        + ", bigquery "
        + bigqueryEndpoint.map(u -> "at " + u).orElse(local() ? "refused" : "production");
  }

  /** Checks a {@code host:port} option; a Google API host is no emulator. */
  static Optional<String> hostPort(String option, Optional<String> value) {
    value.ifPresent(
        v -> {
          Matcher m = HOST_PORT.matcher(v);
          int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
          if (port < 1 || port > 65535) {
            throw new UsageException(option + " must be HOST:PORT, but was '" + v + "'");
          }
          refuseGoogleHost(option, m.group(1), v);
        });
    return value;
  }

  /** Checks a local endpoint URL; a Google API host is not local. */
  static Optional<String> url(String option, Optional<String> value) {
    value.ifPresent(
        v -> {
          URI uri;
          try {
            uri = URI.create(v);
          } catch (IllegalArgumentException e) {
            throw new UsageException(option + " must be a URL, but was '" + v + "'");
          }
          if (uri.getScheme() == null
              || !uri.getScheme().matches("https?")
              || uri.getHost() == null) {
            throw new UsageException(
                option + " must be an http(s)://HOST[:PORT] URL, but was '" + v + "'");
          }
          refuseGoogleHost(option, uri.getHost(), v);
        });
    return value;
  }

  private static void refuseGoogleHost(String option, String host, String value) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("googleapis.com") || h.endsWith(".googleapis.com")) {
      throw new UsageException(
          option + " must name a local emulator or endpoint, but '" + value + "' is production");
    }
  }
}
