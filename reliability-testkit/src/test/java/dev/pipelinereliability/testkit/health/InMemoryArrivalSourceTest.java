package dev.pipelinereliability.testkit.health;

import dev.pipelinereliability.health.freshness.ArrivalSource;
import java.time.Instant;
import java.time.LocalDate;

class InMemoryArrivalSourceTest extends ArrivalSourceContract {
  private final InMemoryArrivalSource source = new InMemoryArrivalSource("contract");

  @Override
  protected ArrivalSource source() {
    return source;
  }

  @Override
  protected void recordArrival(LocalDate date, Instant at) {
    source.recordArrival(date, at);
  }

  @Override
  protected void makeUnreachable() {
    source.makeUnreachable();
  }
}
