package dev.presence.bench.loadgen;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency kept by when each state was sent, in fixed slices of the window, so a run can report a part of
 * the window (its first half second, the time a storm lasted) apart from the whole. Receivers record
 * concurrently; the parts are read after the window.
 */
final class LatencySlices {
  static final long SLICE_NANOS = 100_000_000L;

  private final long opensAtNanos;
  private final ConcurrentHistogram[] slices;

  LatencySlices(long opensAtNanos, long closesAtNanos) {
    this.opensAtNanos = opensAtNanos;
    this.slices = new ConcurrentHistogram[(int) Math.max(1, ceilDiv(closesAtNanos - opensAtNanos, SLICE_NANOS))];
    for (int i = 0; i < slices.length; i++) {
      slices[i] = new ConcurrentHistogram(60_000_000L, 3);
    }
  }

  void record(long sentAtNanos, long micros) {
    int i = sliceOf(sentAtNanos);
    if (i >= 0 && i < slices.length) {
      slices[i].recordValue(Math.min(micros, slices[i].getHighestTrackableValue()));
    }
  }

  /** @return the slice a send time falls in, possibly outside the window */
  int sliceOf(long sentAtNanos) {
    return (int) Math.floorDiv(sentAtNanos - opensAtNanos, SLICE_NANOS);
  }

  /** @return the latency of states sent in slices [from, to), clamped to the window */
  Histogram over(int fromSlice, int toSlice) {
    Histogram sum = new Histogram(60_000_000L, 3);
    for (int i = Math.max(0, fromSlice); i < Math.min(slices.length, toSlice); i++) {
      sum.add(slices[i]);
    }
    return sum;
  }

  int count() {
    return slices.length;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
