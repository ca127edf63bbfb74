package dev.presence.conformance.noise;

import java.util.concurrent.TimeUnit;

/**
 * By how much an observation missed a time bound, and the span of the kit's clock in which the kit's own noise
 * could have caused it.
 *
 * @param missNanos how far past the bound the observation came, or, when it never came, how long the kit waited
 *     past the bound; for a spacing bound, how much closer than allowed two arrivals were
 * @param fromNanos the start of the span, on the history's clock
 * @param toNanos the end of the span, on the history's clock
 */
public record TimingMiss(long missNanos, long fromNanos, long toNanos) {

  /** Validates the span. */
  public TimingMiss {
    if (missNanos < 0 || toNanos < fromNanos) {
      throw new IllegalArgumentException("a miss is non-negative and its span ordered");
    }
  }

  /** Returns the miss in milliseconds, rounded down. */
  public long missMillis() {
    return TimeUnit.NANOSECONDS.toMillis(missNanos);
  }
}
