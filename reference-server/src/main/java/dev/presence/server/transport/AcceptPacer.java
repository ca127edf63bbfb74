package dev.presence.server.transport;

import java.util.function.LongSupplier;

/**
 * Paces the accepting of new connections, gRPC and WebSocket together, to a rate the server can absorb beside the
 * rooms it already serves (PRS-OVL-3). Opening a connection and its session costs the event loops far more than a
 * delivery does, so a storm of them accepted at once would hold every room's tick behind it; paced, the storm waits
 * in the kernel's listen queue instead, and rooms keep their turns. A token bucket: {@code ratePerSecond} tokens a
 * second, at most {@code burst} saved up.
 *
 * <p>Thread-safe: each binding's acceptor thread takes from the same bucket.
 */
final class AcceptPacer {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAtNanos;

  private AcceptPacer(double ratePerSecond, double burst, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.refilledAtNanos = nanoClock.getAsLong();
  }

  /**
   * @param ratePerSecond connections a second, or 0 for no pacing
   * @param nanoClock a monotonic clock in nanoseconds
   * @return a pacer whose bucket holds a twentieth of a second's accepts, at least one
   */
  static AcceptPacer of(int ratePerSecond, LongSupplier nanoClock) {
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("ratePerSecond must be at least 0: " + ratePerSecond);
    }
    return ratePerSecond == 0
        ? new AcceptPacer(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, nanoClock)
        : new AcceptPacer(ratePerSecond, Math.max(1, ratePerSecond / 20.0), nanoClock);
  }

  /** @return 0 when a connection may be accepted now, else how many nanoseconds until one may */
  synchronized long nanosUntilNextAccept() {
    if (ratePerNano == Double.POSITIVE_INFINITY) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAtNanos) * ratePerNano);
    refilledAtNanos = now;
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  /** Spends one accept; called after a connection was accepted. */
  synchronized void accepted() {
    tokens -= 1;
  }
}
