package dev.pipelinereliability.lock;

/**
 * Why a {@link LockHandle} lost its lock, as far as the backend can tell: {@link
 * LockLostException#lossCause()}, and the {@code cause} attribute of the lost-lease metric.
 */
public enum LockLossCause {
  /** The lease ran out before a renewal succeeded: the holder stalled or could not renew. */
  EXPIRED,
  /** Another acquisition holds the lock now: it took the lock over after the lease ran out. */
  TAKEN_OVER,
  /** An operator force-released it ({@link LockAdmin#forceRelease}). */
  FORCE_RELEASED,
  /** The backend cannot tell: the lock record vanished, or a conflicting write it cannot read. */
  UNKNOWN
}
