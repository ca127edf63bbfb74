package dev.presence.bench.loadgen;

/**
 * The measured part of a run, on the load generator's {@link System#nanoTime()} clock: sends in
 * [opensAt, closesAt) are measured; their deliveries count until {@code countsUntil}.
 *
 * @param opensAtNanos first send time measured
 * @param closesAtNanos first send time no longer measured; sending stops here
 * @param countsUntilNanos deliveries received later are ignored
 * @param deadlineNanos a state must reach a receiver within this long to count as delivered
 */
record MeasurementWindow(long opensAtNanos, long closesAtNanos, long countsUntilNanos, long deadlineNanos) {

  /** @return whether a send at that time is measured */
  boolean measures(long sentAtNanos) {
    return sentAtNanos >= opensAtNanos && sentAtNanos < closesAtNanos;
  }

  /** @return the window's length in seconds */
  double seconds() {
    return (closesAtNanos - opensAtNanos) / 1e9;
  }
}
