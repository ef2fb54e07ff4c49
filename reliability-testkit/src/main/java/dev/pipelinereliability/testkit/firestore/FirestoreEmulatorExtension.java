package dev.pipelinereliability.testkit.firestore;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that gives tests {@link Firestore} clients connected to a Firestore emulator,
 * with the data cleared before each test.
 *
 * <pre>{@code
 * class MyStoreTest {
 *   @RegisterExtension
 *   static final FirestoreEmulatorExtension EMULATOR = FirestoreEmulatorExtension.create();
 *
 *   @Test
 *   void writesADocument() throws Exception {
 *     EMULATOR.firestore().collection("c").document("d").set(Map.of("a", 1)).get();
 *   }
 * }
 * }</pre>
 *
 * <p>Where the emulator comes from, in this order:
 *
 * <ol>
 *   <li>the {@code FIRESTORE_EMULATOR_HOST} environment variable ({@code host:port}) when set: an
 *       emulator someone else runs, which this extension never stops;
 *   <li>the Cloud SDK emulator on this machine (found with {@code gcloud info}), started on a free
 *       loopback port once per test JVM, shared by every test class, and stopped when the test run
 *       ends (through JUnit's root store, with a JVM shutdown hook as a second line);
 *   <li>Testcontainers' {@code FirestoreEmulatorContainer} when a Docker engine is reachable (needs
 *       {@code org.testcontainers:gcloud} on the test class path);
 *   <li>otherwise the test fails with a message saying how to install the emulator. It never skips.
 * </ol>
 *
 * <p>Each test JVM uses a project id of its own ({@link #projectId()}), so two builds that share an
 * emulator through {@code FIRESTORE_EMULATOR_HOST} do not clear each other's data.
 *
 * <p>Register it on a {@code static} field so that one client serves the whole class; on an
 * instance field it works too, with the clients closed after each test. Clients use the emulator's
 * credentials ({@link FirestoreOptions.EmulatorCredentials}) beside {@link
 * FirestoreOptions.Builder#setEmulatorHost(String)}, so building them never looks up Application
 * Default Credentials (which would ping the metadata server); {@code NoCredentials} instead sends
 * requests to production Firestore.
 *
 * <p>Thread-safe: tests may call {@link #firestore()} and {@link #newClient()} from any thread.
 */
public final class FirestoreEmulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** The environment variable the Firestore clients read to find an emulator. */
  public static final String EMULATOR_HOST_ENV = "FIRESTORE_EMULATOR_HOST";

  static final String INSTALL_HINT =
      "No Firestore emulator is available for this test. Either install the Cloud SDK emulator"
          + " (`gcloud components install cloud-firestore-emulator`, or the apt package"
          + " `google-cloud-cli-firestore-emulator`, with `gcloud` on the PATH), or start one"
          + " yourself and set FIRESTORE_EMULATOR_HOST=host:port, or run a Docker engine so that"
          + " Testcontainers can start one (add org.testcontainers:gcloud to the test class path).";

  private static final Logger log = LoggerFactory.getLogger(FirestoreEmulatorExtension.class);
  private static final String PROJECT_ID = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private volatile @Nullable EmulatorEndpoint endpoint;
  private @Nullable Firestore shared;
  private final List<Firestore> classClients = new ArrayList<>();
  private final List<Firestore> testClients = new ArrayList<>();
  private boolean inTest;
  private boolean classLevel;

  private FirestoreEmulatorExtension() {}

  /**
   * Returns a new extension; register it with {@code @RegisterExtension}.
   *
   * @return a new extension; register it with {@code @RegisterExtension}
   */
  public static FirestoreEmulatorExtension create() {
    return new FirestoreEmulatorExtension();
  }

  /**
   * Returns this extension's client (created on first use). Data is cleared before each test.
   *
   * @return this extension's client (created on first use)
   * @throws IllegalStateException if called before the extension started (outside a test)
   */
  public synchronized Firestore firestore() {
    Firestore client = shared;
    if (client == null) {
      client = connect();
      shared = client;
    }
    return client;
  }

  /**
   * Returns a new client on the same emulator and project, independent of {@link #firestore()} (its
   * own channel and listeners), standing for one more process. The extension closes it after the
   * test that made it, or after all tests if it was made outside a test.
   *
   * @return a new client on the same emulator and project, independent of {@link #firestore()} (its
   *     own channel and listeners), standing for one more process
   * @throws IllegalStateException if called before the extension started
   */
  public synchronized Firestore newClient() {
    Firestore client = connect();
    (inTest ? testClients : classClients).add(client);
    return client;
  }

  /**
   * Returns {@code host:port} of the emulator, as {@code FIRESTORE_EMULATOR_HOST} takes it.
   *
   * @return {@code host:port} of the emulator, as {@code FIRESTORE_EMULATOR_HOST} takes it
   * @throws IllegalStateException if called before the extension started
   */
  public String hostPort() {
    return started().hostPort();
  }

  /**
   * Returns the project id this test JVM uses on the emulator.
   *
   * @return the project id this test JVM uses on the emulator
   */
  public String projectId() {
    return PROJECT_ID;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (this) {
      classLevel = true;
    }
    endpoint = EmulatorEndpoint.shared(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    EmulatorEndpoint e = endpoint;
    if (e == null) {
      e = EmulatorEndpoint.shared(context);
      endpoint = e;
    }
    synchronized (this) {
      inTest = true;
    }
    FirestoreEmulator.clear(e.hostPort(), PROJECT_ID, HTTP);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Firestore> toClose;
    synchronized (this) {
      inTest = false;
      toClose = new ArrayList<>(testClients);
      testClients.clear();
      if (!classLevel) {
        toClose.addAll(takeClassClients());
      }
    }
    closeAll(toClose);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<Firestore> toClose;
    synchronized (this) {
      toClose = takeClassClients();
    }
    closeAll(toClose);
  }

  private List<Firestore> takeClassClients() {
    List<Firestore> all = new ArrayList<>(classClients);
    classClients.clear();
    if (shared != null) {
      all.add(shared);
      shared = null;
    }
    return all;
  }

  private static void closeAll(List<Firestore> clients) {
    for (Firestore client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        log.warn("Could not close a Firestore emulator client", e);
      }
    }
  }

  private EmulatorEndpoint started() {
    EmulatorEndpoint e = endpoint;
    if (e == null) {
      throw new IllegalStateException(
          "the Firestore emulator is not started yet: register FirestoreEmulatorExtension with"
              + " @RegisterExtension and use it inside a test or a @BeforeEach/@BeforeAll method");
    }
    return e;
  }

  private Firestore connect() {
    return FirestoreOptions.newBuilder()
        .setProjectId(PROJECT_ID)
        .setEmulatorHost(started().hostPort())
        .setCredentials(new FirestoreOptions.EmulatorCredentials())
        .build()
        .getService();
  }

  /**
   * Where the emulator runs, resolved once per test JVM and kept in JUnit's root store, which
   * closes it (stopping an emulator this extension started) when the test run ends.
   */
  static final class EmulatorEndpoint implements AutoCloseable {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(FirestoreEmulatorExtension.class);

    private final String hostPort;
    private final String source;
    private final @Nullable Runnable stop;

    /**
     * @param stop stops an emulator this extension started; null for one it must leave running
     */
    EmulatorEndpoint(String hostPort, String source, @Nullable Runnable stop) {
      this.hostPort = hostPort;
      this.source = source;
      this.stop = stop;
    }

    static EmulatorEndpoint shared(ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              EmulatorEndpoint.class,
              k -> resolve(System.getenv(EMULATOR_HOST_ENV)),
              EmulatorEndpoint.class);
    }

    static EmulatorEndpoint resolve(@Nullable String emulatorHostEnv) {
      return resolve(
          emulatorHostEnv,
          FirestoreEmulator::findCloudSdkJar,
          TestcontainersFirestore::startIfDockerIsReachable);
    }

    /** Picks the emulator as the class documentation says; fails, never skips, if none. */
    static EmulatorEndpoint resolve(
        @Nullable String emulatorHostEnv,
        Supplier<Optional<Path>> cloudSdkJar,
        Supplier<Optional<EmulatorEndpoint>> container) {
      if (emulatorHostEnv != null && !emulatorHostEnv.isBlank()) {
        log.info("Using the Firestore emulator at {}={}", EMULATOR_HOST_ENV, emulatorHostEnv);
        return new EmulatorEndpoint(emulatorHostEnv.strip(), EMULATOR_HOST_ENV, null);
      }
      Optional<Path> jar = cloudSdkJar.get();
      if (jar.isPresent()) {
        FirestoreEmulator emulator = FirestoreEmulator.start(jar.get());
        return new EmulatorEndpoint(emulator.hostPort(), "Cloud SDK " + jar.get(), emulator::close);
      }
      return container.get().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
    }

    String hostPort() {
      return hostPort;
    }

    @Override
    public void close() {
      if (stop != null) {
        log.info("Stopping the Firestore emulator on {} ({})", hostPort, source);
        stop.run();
      }
    }

    @Override
    public String toString() {
      return hostPort + " (" + source + ")";
    }
  }
}
