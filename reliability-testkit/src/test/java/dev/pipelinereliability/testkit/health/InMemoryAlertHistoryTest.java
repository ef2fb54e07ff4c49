package dev.pipelinereliability.testkit.health;

import dev.pipelinereliability.health.alert.AlertHistory;
import dev.pipelinereliability.health.alert.InMemoryAlertHistory;

/** The in-memory history passes the contract; one instance stands for the shared store. */
class InMemoryAlertHistoryTest extends AlertHistoryContract {
  private final InMemoryAlertHistory store = new InMemoryAlertHistory();

  @Override
  protected AlertHistory newHistory() {
    return store;
  }
}
