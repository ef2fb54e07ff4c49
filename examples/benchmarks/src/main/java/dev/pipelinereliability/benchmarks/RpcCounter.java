package dev.pipelinereliability.benchmarks;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the gRPC calls a Firestore client starts, by method, as a channel interceptor: what goes
 * on the wire, whatever code made it (the lock, the client's own retries, listener streams).
 * Thread-safe.
 */
final class RpcCounter implements ClientInterceptor {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    calls.computeIfAbsent(method.getBareMethodName(), m -> new LongAdder()).increment();
    return next.newCall(method, options);
  }

  /** Returns the calls so far, by method name (Commit, BatchGetDocuments, Listen, ...). */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((method, count) -> copy.put(method, count.sum()));
    return copy;
  }

  /** Returns the number of calls of every method so far. */
  long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
