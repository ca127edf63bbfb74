package dev.presence.bench.loadgen;

/**
 * What a run does besides its steady {@link Workload}: how soon it sends after opening, which part of the
 * window it also reports apart, and what it sets loose on the same server while measuring.
 *
 * @param settleMillis pause between the last session opening and the first send
 * @param headMillis also report the latency of states sent in the window's first this many ms; 0 for none
 * @param boundMillis a state delivered within this long counts as on time (PRS-THR-3's W + 25 ms)
 * @param stormSessions sessions opened all at once and closed as soon as each opened, during the window;
 *     0 for none. They are in rooms of their own, which the measured rooms never see.
 * @param stormRoomSize users per room of the storm
 * @param stormAtMillis when in the window the storm begins
 * @param hotSenders users of one extra room who all send at {@code hotRateHz} throughout; 0 for none
 * @param hotRateHz their rate
 */
public record RunOptions(
    long settleMillis,
    long headMillis,
    long boundMillis,
    int stormSessions,
    int stormRoomSize,
    long stormAtMillis,
    int hotSenders,
    int hotRateHz) {

  /** Checks the combination once. */
  public RunOptions {
    require(settleMillis >= 0 && headMillis >= 0 && stormAtMillis >= 0, "durations must be non-negative");
    require(boundMillis > 0, "the on-time bound must be positive");
    require(stormSessions >= 0 && stormRoomSize >= 1, "storm sessions must be 0 or more, in rooms of 1 or more");
    require(hotSenders == 0 || hotSenders >= 2, "a hot room needs at least 2 senders, so each has a receiver");
    require(hotRateHz >= 0 && hotRateHz <= 1000, "hot rate must be 0..1000 Hz");
  }

  /** @return whether latency must be kept by send time, for a head or a storm */
  boolean sliced() {
    return headMillis > 0 || stormSessions > 0;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
