package dev.pipelinereliability.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelinereliability.dedup.DedupResult;
import dev.pipelinereliability.dedup.Deduplicator;
import dev.pipelinereliability.health.CheckResult;
import dev.pipelinereliability.health.HealthCheck;
import dev.pipelinereliability.health.HealthCheckRunner;
import dev.pipelinereliability.health.HealthStatus;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLossCause;
import dev.pipelinereliability.lock.LockLostException;
import dev.pipelinereliability.lock.LockOptions;
import dev.pipelinereliability.lock.LockUnavailableException;
import dev.pipelinereliability.lock.spi.AbstractLockHandle;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Core runs with the OpenTelemetry API alone: this module's test class path holds no SDK (the pom
 * declares none; {@code mvn dependency:tree -pl reliability-core} shows opentelemetry-api, -context
 * and -common, no -sdk), and the primitives, built with their defaults, read {@link
 * GlobalOpenTelemetry} and work.
 */
class NoOpenTelemetrySdkTest {

  @Test
  void theTestClassPathHasNoSdk() {
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.sdk.OpenTelemetrySdk"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("io.opentelemetry.sdk.metrics.SdkMeterProvider"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void primitivesBuiltWithTheGlobalDefaultRunWithoutAnSdk() {
    DedupResult<Map<String, Object>> deduped =
        Deduplicator.forRows("id").build().apply(List.of(Map.of("id", 1), Map.of("id", 1)));
    assertThat(deduped.removedCount()).isEqualTo(1);

    HealthCheck ok =
        new HealthCheck() {
          @Override
          public String name() {
            return "ok";
          }

          @Override
          public CheckResult run() {
            return CheckResult.ok("ok", "fine");
          }
        };
    assertThat(HealthCheckRunner.builder().addCheck(ok).build().run().results())
        .extracting(CheckResult::status)
        .containsExactly(HealthStatus.OK);

    LockKey key = LockKey.of("nightly", "2026-02-03");
    AbstractLockHandle handle =
        new AbstractLockHandle(
            key, "owner", 1, Instant.now().plusSeconds(30), LockOptions.ofDefaults()) {
          @Override
          protected boolean leaseLooksLive() {
            return true;
          }

          @Override
          protected void confirmHeld() {
            throw new LockLostException(key, LockLossCause.TAKEN_OVER, "taken over");
          }

          @Override
          protected Instant renewInStore(Duration lease) {
            throw new LockUnavailableException(key, "unreachable", null);
          }

          @Override
          protected void releaseInStore() {}
        };
    assertThatThrownBy(handle::renew).isInstanceOf(LockUnavailableException.class);
    assertThatThrownBy(handle::checkValid)
        .isInstanceOfSatisfying(
            LockLostException.class,
            e -> assertThat(e.lossCause()).isEqualTo(LockLossCause.TAKEN_OVER));
    handle.close();

    // What the defaults read: the API's no-op meter provider, since nothing installed an SDK.
    assertThat(GlobalOpenTelemetry.get().getMeterProvider()).isSameAs(MeterProvider.noop());
  }
}
