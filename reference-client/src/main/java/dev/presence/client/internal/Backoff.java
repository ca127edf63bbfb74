package dev.presence.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (PRS-RCN-4): the n-th delay is uniform in [0, min(max, initial * 2^n)].
 * Not thread-safe; the owner confines it to its lock.
 */
public final class Backoff {
  /** The bound of the first delay, 250 ms (PRS-RCN-4); the builder's default. */
  public static final Duration DEFAULT_INITIAL = Duration.ofMillis(250);
  /** The largest bound, 30 s (PRS-RCN-4); the builder's default. */
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int attempt;

  /**
   * Creates a backoff.
   *
   * @param initial the first bound
   * @param max the largest bound
   * @param random uniform values in [0, 1)
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  /**
   * The next delay; each call raises the bound until {@link #reset()}.
   *
   * @return milliseconds to wait
   */
  public long nextDelayMillis() {
    long bound = boundFor(attempt);
    if (attempt < 62) {
      attempt++;
    }
    return (long) Math.floor(random.getAsDouble() * (bound + 1));
  }

  /**
   * The bound the next delay will be drawn under.
   *
   * @return milliseconds
   */
  public long currentBoundMillis() {
    return boundFor(attempt);
  }

  /** Starts over after a success. */
  public void reset() {
    attempt = 0;
  }

  private long boundFor(int n) {
    if (n >= 62 || initialMillis > (maxMillis >> Math.min(n, 62))) {
      return maxMillis;
    }
    return Math.min(maxMillis, initialMillis << n);
  }
}
