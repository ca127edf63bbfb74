package dev.presence.server.warmup;

import java.util.Arrays;

/**
 * Lateness samples cut into consecutive slices of time, judged one slice at a time: warm when enough slices in
 * a row had their 99th percentile within the bound. A slice with too few samples proves nothing and breaks the
 * run.
 *
 * <p>Thread-safe: samples arrive on the clients' threads, slices end on the warm-up's thread.
 */
final class LatenessSlices {
  private final double boundMillis;
  private final int slicesNeeded;
  private final int minSamplesPerSlice;
  private double[] samples = new double[4096];
  private int count;
  private int slicesWithinBound;
  private double lastP99Millis = Double.NaN;

  /**
   * @param boundMillis the largest 99th percentile a warm slice may have
   * @param slicesNeeded how many warm slices in a row make the server warm
   * @param minSamplesPerSlice the fewest samples a slice needs to count
   */
  LatenessSlices(double boundMillis, int slicesNeeded, int minSamplesPerSlice) {
    this.boundMillis = boundMillis;
    this.slicesNeeded = slicesNeeded;
    this.minSamplesPerSlice = minSamplesPerSlice;
  }

  /** @param latenessMillis how long one state took from its sender to one receiver */
  synchronized void record(double latenessMillis) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
    }
    samples[count++] = latenessMillis;
  }

  /** Closes the current slice and judges it. */
  synchronized void endSlice() {
    if (count < minSamplesPerSlice) {
      lastP99Millis = Double.NaN;
      slicesWithinBound = 0;
    } else {
      Arrays.sort(samples, 0, count);
      lastP99Millis = samples[(int) Math.ceil(count * 0.99) - 1];
      slicesWithinBound = lastP99Millis <= boundMillis ? slicesWithinBound + 1 : 0;
    }
    count = 0;
  }

  /** @return whether the last slices in a row were all within the bound */
  synchronized boolean warm() {
    return slicesWithinBound >= slicesNeeded;
  }

  /** @return the last judged slice's 99th percentile, NaN if it had too few samples */
  synchronized double lastP99Millis() {
    return lastP99Millis;
  }
}
