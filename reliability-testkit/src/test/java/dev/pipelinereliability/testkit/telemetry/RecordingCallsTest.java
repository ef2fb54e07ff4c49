package dev.pipelinereliability.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.testkit.FakeClock;
import dev.pipelinereliability.testkit.lock.InMemoryDistributedLock;
import dev.pipelinereliability.testkit.validation.InMemoryDuplicateValidator;
import dev.pipelinereliability.validation.DuplicateCheck;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * How often and with what the library calls the OpenTelemetry instruments, which the SDK's
 * aggregated values cannot show: dedup counts once per call, never per row; the attribute sets of
 * the hot paths are built once and reused, not allocated per call.
 */
class RecordingCallsTest {
  private final CallLog log = new CallLog();

  @Test
  void dedupCountsRowsInAndRemovedOncePerCallNeverPerRow() {
    Deduplicator<Map<String, Object>> dedup =
        Deduplicator.forRows("id").openTelemetry(log.openTelemetry()).build();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      rows.add(Map.of("id", i % 600));
    }

    dedup.apply(rows);
    dedup.apply(rows);

    assertThat(log.values("pipeline_reliability.dedup.rows.in")).containsExactly(1_000L, 1_000L);
    assertThat(log.values("pipeline_reliability.dedup.rows.removed")).containsExactly(400L, 400L);
  }

  @Test
  void validationCountsOncePerValidationNeverPerKey() {
    InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator(log.openTelemetry());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(Map.of("id", i % 100));
    }
    validator.putTable("odds.lines", rows);

    validator.validate(DuplicateCheck.of("odds.lines", List.of("id")));

    assertThat(log.values("pipeline_reliability.validation.runs")).containsExactly(1L);
    assertThat(log.values("pipeline_reliability.validation.duplicate_keys")).containsExactly(100L);
    assertThat(log.values("pipeline_reliability.validation.excess_rows")).containsExactly(200L);
  }

  @Test
  void theLocksHotPathReusesOneAttributeSetPerTypeAndOutcome() {
    InMemoryDistributedLock lock =
        new InMemoryDistributedLock(log.openTelemetry(), FakeClock.create());
    LockOptions options = LockOptions.builder().backgroundRenewal(false).build();

    for (int i = 0; i < 3; i++) {
      lock.tryAcquire(LockKey.of("nightly", "odds/" + i), options).orElseThrow().close();
    }

    for (String instrument :
        List.of(
            "pipeline_reliability.lock.acquire.duration",
            "pipeline_reliability.lock.hold.duration")) {
      List<Attributes> used = log.attributes(instrument);
      assertThat(used).hasSize(3);
      // One lock type, one outcome: the same instance each time, whatever the key.
      assertThat(used.get(1)).isSameAs(used.get(0));
      assertThat(used.get(2)).isSameAs(used.get(0));
    }
  }

  /**
   * An {@link OpenTelemetry} that logs every {@code add} and {@code record} on the instruments made
   * from it (by instrument name), then passes them to the no-op API. A dynamic proxy over the API's
   * interfaces, so it sees exactly the calls the library makes.
   */
  static final class CallLog {
    record Call(String instrument, Number value, Attributes attributes) {}

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    OpenTelemetry openTelemetry() {
      return wrap(OpenTelemetry.class, OpenTelemetry.noop(), "");
    }

    /** The values added or recorded to {@code instrument}, in order. */
    List<Long> values(String instrument) {
      List<Long> values = new ArrayList<>();
      for (Call c : snapshot()) {
        if (c.instrument().equals(instrument)) {
          values.add(c.value().longValue());
        }
      }
      return values;
    }

    /** The attribute sets passed to {@code instrument}, in order. */
    List<Attributes> attributes(String instrument) {
      List<Attributes> used = new ArrayList<>();
      for (Call c : snapshot()) {
        if (c.instrument().equals(instrument)) {
          used.add(c.attributes());
        }
      }
      return used;
    }

    private List<Call> snapshot() {
      synchronized (calls) {
        return new ArrayList<>(calls);
      }
    }

    private <T> T wrap(Class<T> type, Object target, String instrument) {
      InvocationHandler handler =
          (proxy, method, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            if (method.getName().equals("equals")) {
              return proxy == a[0];
            } else if (method.getName().equals("hashCode")) {
              return System.identityHashCode(proxy);
            } else if (method.getName().equals("toString")) {
              return "CallLog(" + type.getSimpleName() + " " + instrument + ")";
            }
            String name = instrument;
            if (method.getName().endsWith("Builder")
                && a.length == 1
                && a[0] instanceof String s
                && type.getSimpleName().equals("Meter")) {
              name = s;
            }
            if ((method.getName().equals("add") || method.getName().equals("record"))
                && a.length > 0
                && a[0] instanceof Number value) {
              calls.add(
                  new Call(
                      name,
                      value,
                      a.length > 1 && a[1] instanceof Attributes at ? at : Attributes.empty()));
            }
            Object result;
            try {
              result = method.invoke(target, a);
            } catch (InvocationTargetException e) {
              Throwable thrown = e.getCause();
              throw thrown != null ? thrown : e;
            }
            return wrapIfMetricsApi(method.getReturnType(), result, name);
          };
      return type.cast(
          Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private @Nullable Object wrapIfMetricsApi(
        Class<?> returnType, @Nullable Object result, String instrument) {
      if (result == null
          || !returnType.isInterface()
          || !returnType.getPackageName().equals("io.opentelemetry.api.metrics")) {
        return result;
      }
      return wrap(returnType, result, instrument);
    }
  }
}
