package dev.pipelinereliability.testkit.lock;

import dev.pipelinereliability.lock.DistributedLock;
import dev.pipelinereliability.lock.LockAdmin;
import dev.pipelinereliability.testkit.FakeClock;
import java.time.Duration;

class InMemoryLockAdminTest extends LockAdminContract {
  private final FakeClock clock = FakeClock.create();
  private final InMemoryDistributedLock store = new InMemoryDistributedLock(clock);

  @Override
  protected DistributedLock newInstance() {
    return store;
  }

  @Override
  protected LockAdmin admin() {
    return store;
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
