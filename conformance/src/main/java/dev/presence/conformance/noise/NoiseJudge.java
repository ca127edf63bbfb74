package dev.presence.conformance.noise;

import dev.presence.conformance.history.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the kit's own noise over the span of a timing miss: the {@link NoiseMonitor}'s recorded stalls, and the
 * round trips of the kit's own pings in the run's history, taken in excess of the run's fastest one.
 */
public final class NoiseJudge {

  private final NoiseMonitor monitor;

  /** Creates a judge that reads the stalls a monitor recorded. */
  public NoiseJudge(NoiseMonitor monitor) {
    this.monitor = monitor;
  }

  /** Returns the monitor this judge reads. */
  public NoiseMonitor monitor() {
    return monitor;
  }

  /**
   * Measures the noise over a miss's span.
   *
   * @param miss the miss
   * @param history the run in which it happened, with the kit's pings and their pongs
   * @return the noise
   */
  public Noise measure(TimingMiss miss, List<Observation> history) {
    long scheduling = monitor.maxLatenessNanos(miss.fromNanos(), miss.toNanos());
    List<long[]> trips = roundTrips(history);
    long fastest = trips.stream().mapToLong(t -> t[1] - t[0]).min().orElse(0);
    long excess = 0;
    for (long[] t : trips) {
      if (t[1] >= miss.fromNanos() && t[0] <= miss.toNanos()) {
        excess = Math.max(excess, t[1] - t[0] - fastest);
      }
    }
    return new Noise(scheduling, excess);
  }

  /** Every ping the kit sent that got its pong, as {@code [sent, received]} on the history's clock. */
  private static List<long[]> roundTrips(List<Observation> history) {
    Map<String, Long> sent = new HashMap<>();
    List<long[]> trips = new ArrayList<>();
    for (Observation o : history) {
      if (o instanceof Observation.Sent s && s.frame().hasPing()) {
        sent.put(s.session() + "/" + s.frame().getPing().getNonce(), s.nanos());
      } else if (o instanceof Observation.Received r && r.frame().hasPong()) {
        Long at = sent.remove(r.session() + "/" + r.frame().getPong().getNonce());
        if (at != null) {
          trips.add(new long[] {at, r.nanos()});
        }
      }
    }
    return trips;
  }
}
