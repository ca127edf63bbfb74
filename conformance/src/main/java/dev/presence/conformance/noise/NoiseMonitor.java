package dev.presence.conformance.noise;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Measures the kit's own scheduling delay for the whole run: a canary thread asks to wake every
 * {@value #CANARY_PERIOD_MILLIS} ms and records by how much it woke late, and the kit records how late its own
 * scheduled sends went out. A timing verdict compares a server's miss with this lateness over the same span.
 *
 * <p>Thread-safe. Times are on the clock given at creation, {@link System#nanoTime()} for a started monitor, which
 * is also the clock of every history.
 */
public final class NoiseMonitor implements AutoCloseable {

  static final long CANARY_PERIOD_MILLIS = 2;
  private static final long RECORDED_LATENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long RETENTION_NANOS = TimeUnit.MINUTES.toNanos(10);
  private static final long QUIET_POLL_MILLIS = 20;

  private final LongSupplier clock;
  private final long startedNanos;
  private final Deque<long[]> samples = new ArrayDeque<>();
  private final Thread canary;
  private volatile boolean closed;

  private NoiseMonitor(LongSupplier clock, boolean withCanary) {
    this.clock = clock;
    this.startedNanos = clock.getAsLong();
    this.canary = withCanary ? new Thread(this::watch, "conformance-noise-canary") : null;
    if (canary != null) {
      canary.setDaemon(true);
    }
  }

  /** Starts a monitor on {@link System#nanoTime()} with its canary thread running. */
  public static NoiseMonitor started() {
    NoiseMonitor monitor = new NoiseMonitor(System::nanoTime, true);
    monitor.canary.start();
    return monitor;
  }

  /** Returns a monitor without a canary, fed only through {@link #recordLateness}; for tests on a manual clock. */
  public static NoiseMonitor manual(LongSupplier clock) {
    return new NoiseMonitor(clock, false);
  }

  private void watch() {
    long period = TimeUnit.MILLISECONDS.toNanos(CANARY_PERIOD_MILLIS);
    while (!closed) {
      long before = clock.getAsLong();
      LockSupport.parkNanos(period);
      long after = clock.getAsLong();
      recordLateness(after, after - before - period);
    }
  }

  /**
   * Records that something the kit scheduled ran late.
   *
   * @param atNanos when it finally ran
   * @param latenessNanos by how much it was late; values under one millisecond are ignored
   */
  public void recordLateness(long atNanos, long latenessNanos) {
    if (latenessNanos < RECORDED_LATENESS_NANOS) {
      return;
    }
    synchronized (samples) {
      samples.addLast(new long[] {atNanos, latenessNanos});
      while (!samples.isEmpty() && samples.peekFirst()[0] < atNanos - RETENTION_NANOS) {
        samples.removeFirst();
      }
    }
  }

  /**
   * Returns the largest lateness of a stall that overlaps a span: a stall recorded at {@code t} with lateness
   * {@code l} covered {@code [t - l, t]}.
   */
  public long maxLatenessNanos(long fromNanos, long toNanos) {
    long max = 0;
    synchronized (samples) {
      for (long[] s : samples) {
        if (s[0] >= fromNanos && s[0] - s[1] <= toNanos) {
          max = Math.max(max, s[1]);
        }
      }
    }
    return max;
  }

  /** Returns the current time on this monitor's clock. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * Returns whether the kit has run with no stall of {@code thresholdNanos} or more for the last {@code quietFor}.
   */
  public boolean quiet(long thresholdNanos, Duration quietFor) {
    long now = now();
    long from = now - quietFor.toNanos();
    return from >= startedNanos && maxLatenessNanos(from, now) < thresholdNanos;
  }

  /**
   * Waits, polling, until {@link #quiet} holds or {@code maxWait} passes; a re-run after a timing miss starts here so
   * that it measures the server, not the machine.
   *
   * @return whether the moment is quiet
   * @throws InterruptedException if interrupted
   */
  public boolean awaitQuiet(long thresholdNanos, Duration quietFor, Duration maxWait) throws InterruptedException {
    long deadline = now() + maxWait.toNanos();
    while (!quiet(thresholdNanos, quietFor)) {
      if (now() >= deadline) {
        return false;
      }
      // Polling the recorded stalls; the canary does the measuring.
      TimeUnit.MILLISECONDS.sleep(QUIET_POLL_MILLIS);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    if (canary != null) {
      canary.interrupt();
    }
  }
}
