package dev.pipelinereliability.testkit.firestore;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the gRPC calls a Firestore client puts on the wire, by method, and those that ended with
 * an error, by method and status code: what the server received, whatever code made the calls (a
 * backend, the client's own retries). A read of one document is a {@link #READ} call, every write
 * or batch of writes a {@link #WRITE} call; a conditional write that lost its precondition ends
 * with {@code FAILED_PRECONDITION} (or {@code ALREADY_EXISTS} for a {@code create()}).
 *
 * <pre>{@code
 * FirestoreCallCounter calls = new FirestoreCallCounter();
 * Firestore firestore = FirestoreCallCounter.client(emulator.hostPort(), "my-project", calls);
 * long before = calls.calls(FirestoreCallCounter.WRITE);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FirestoreCallCounter implements ClientInterceptor {
  /** The method of a document read ({@code DocumentReference.get()}). */
  public static final String READ = "BatchGetDocuments";

  /** The method of a write ({@code create}, {@code set}, {@code update}, a batch). */
  public static final String WRITE = "Commit";

  private static final String EMULATOR_HOST_ENV = "FIRESTORE_EMULATOR_HOST";

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  /** Creates a counter with every count at zero. */
  public FirestoreCallCounter() {}

  /**
   * Returns a client of the emulator at {@code hostPort} whose every call passes {@code counter}.
   * It connects as {@link FirestoreOptions.Builder#setEmulatorHost(String)} does (plaintext, the
   * emulator's credentials), which cannot be combined with an interceptor. The caller closes it.
   *
   * <p>Refused while the environment variable {@code FIRESTORE_EMULATOR_HOST} is set: the Firestore
   * client then replaces any channel with its own, and the counter would silently count nothing.
   *
   * @param hostPort the emulator's {@code host:port}
   * @param projectId the project id to use
   * @param counter the counter every call passes
   * @return a new client
   * @throws IllegalStateException if {@code FIRESTORE_EMULATOR_HOST} is set
   */
  public static Firestore client(String hostPort, String projectId, FirestoreCallCounter counter) {
    requireNonNull(counter, "counter");
    if (emulatorHostVariableSet()) {
      throw new IllegalStateException(
          "FIRESTORE_EMULATOR_HOST is set ("
              + System.getenv(EMULATOR_HOST_ENV)
              + "): the Firestore client would replace the counting channel with its own;"
              + " unset it to count calls");
    }
    return FirestoreOptions.newBuilder()
        .setProjectId(requireNonNull(projectId, "projectId"))
        .setChannelProvider(
            InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(requireNonNull(hostPort, "hostPort"))
                .setChannelConfigurator(b -> b.usePlaintext())
                .setInterceptorProvider(() -> List.of(counter))
                .build())
        .setCredentialsProvider(
            FixedCredentialsProvider.create(new FirestoreOptions.EmulatorCredentials()))
        .build()
        .getService();
  }

  /**
   * Whether {@code FIRESTORE_EMULATOR_HOST} is set, so that {@link #client} would be refused.
   *
   * @return true if the variable is set
   */
  public static boolean emulatorHostVariableSet() {
    return System.getenv(EMULATOR_HOST_ENV) != null;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String name = method.getBareMethodName();
    calls.computeIfAbsent(name, m -> new LongAdder()).increment();
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                if (!status.isOk()) {
                  failures
                      .computeIfAbsent(name + " " + status.getCode(), k -> new LongAdder())
                      .increment();
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  /**
   * Returns how many calls of {@code method} were started so far.
   *
   * @param method a bare gRPC method name, such as {@link #READ} or {@link #WRITE}
   * @return the count, 0 if none
   */
  public long calls(String method) {
    LongAdder n = calls.get(method);
    return n == null ? 0 : n.sum();
  }

  /**
   * Returns how many calls of {@code method} ended with an error so far, whatever the code.
   *
   * @param method a bare gRPC method name, such as {@link #WRITE}
   * @return the count, 0 if none
   */
  public long failedCalls(String method) {
    String prefix = method + " ";
    return failures.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /**
   * Returns every count so far: calls by method name, and failed calls as {@code "<method> <status
   * code>"} (for example {@code "Commit FAILED_PRECONDITION"}).
   *
   * @return a sorted copy
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((m, n) -> copy.put(m, n.sum()));
    failures.forEach((m, n) -> copy.put(m, n.sum()));
    return copy;
  }
}
