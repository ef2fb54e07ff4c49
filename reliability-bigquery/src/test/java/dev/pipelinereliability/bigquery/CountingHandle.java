package dev.pipelinereliability.bigquery;

import dev.pipelinereliability.lock.LockHandle;
import dev.pipelinereliability.lock.LockKey;
import dev.pipelinereliability.lock.LockLostException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** A held lock with a fixed token that counts its {@code checkValid()} calls; lost on demand. */
final class CountingHandle implements LockHandle {
  private final LockKey key;
  private final long token;
  final AtomicInteger checks = new AtomicInteger();
  private volatile boolean lost;

  CountingHandle(LockKey key, long token) {
    this.key = key;
    this.token = token;
  }

  CountingHandle lose() {
    lost = true;
    return this;
  }

  @Override
  public LockKey key() {
    return key;
  }

  @Override
  public String ownerId() {
    return "owner-" + token;
  }

  @Override
  public long fencingToken() {
    return token;
  }

  @Override
  public Instant leaseExpiry() {
    return Instant.MAX;
  }

  @Override
  public boolean isValid() {
    return !lost;
  }

  @Override
  public void checkValid() {
    checks.incrementAndGet();
    if (lost) {
      throw new LockLostException(key, "taken over by token " + (token + 1));
    }
  }

  @Override
  public void renew() {}

  @Override
  public void renew(java.time.Duration lease) {}

  @Override
  public void close() {}
}
