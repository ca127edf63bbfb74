package dev.presence.conformance.noise;

/**
 * The kit's own measured noise over the span of a {@link TimingMiss}: how late its own threads ran, and how much
 * slower than the run's fastest the round trip to the server was then.
 *
 * @param schedulingNanos the largest lateness of the kit's timer canary or of its own scheduled sends in the span
 * @param roundTripExcessNanos the largest round trip of a kit ping in the span, less the run's fastest
 */
public record Noise(long schedulingNanos, long roundTripExcessNanos) {

  /** No measured noise. */
  public static final Noise NONE = new Noise(0, 0);

  /** Validates the measurements. */
  public Noise {
    if (schedulingNanos < 0 || roundTripExcessNanos < 0) {
      throw new IllegalArgumentException("noise is non-negative");
    }
  }

  /** Returns the total delay the kit's side could have added. */
  public long totalNanos() {
    return schedulingNanos + roundTripExcessNanos;
  }

  /** Returns whether this noise alone could account for the miss. */
  public boolean explains(TimingMiss miss) {
    return totalNanos() >= miss.missNanos();
  }

  /** Describes the miss against this noise, for reports: what was measured and what a verdict would have needed. */
  public String describe(TimingMiss miss) {
    return String.format("missed by %.1f ms; the kit measured %.1f ms of its own scheduling delay and %.1f ms of "
        + "round-trip excess then, so a verdict needed noise below %.1f ms", miss.missNanos() / 1e6,
        schedulingNanos / 1e6, roundTripExcessNanos / 1e6, miss.missNanos() / 1e6);
  }
}
