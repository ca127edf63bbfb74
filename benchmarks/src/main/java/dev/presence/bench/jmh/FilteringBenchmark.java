package dev.presence.bench.jmh;

import dev.presence.server.fanout.LiveEvent;
import dev.presence.server.fanout.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a subscriber's scope costs when a tick's changes reach its outbox: a scope that covers only three
 * followed users rejects most events at the {@code covers} check, one that covers everybody keeps the
 * latest of each. The outbox is never flushed, as for a subscriber that is not writable: its pending map
 * stays at its bound and every absorb replaces entries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilteringBenchmark {
  /** How many users changed in the tick. */
  @Param({"50", "200"})
  int users;

  /** {@code few}: a followed_users subscription following three users; {@code all}: all_users. */
  @Param({"few", "all"})
  String scope;

  private Outbox outbox;
  private final List<LiveEvent> events = new ArrayList<>();

  @Setup
  public void setUp() {
    List<String> followed = List.of(Fixtures.userId(0), Fixtures.userId(users / 2), Fixtures.userId(users - 1));
    outbox = new Outbox("all".equals(scope) ? Fixtures.allUsers() : Fixtures.following(followed));
    for (int u = 0; u < users; u++) {
      events.add(LiveEvent.state(Fixtures.userId(u), Fixtures.cursor(u, 1)));
    }
  }

  @Benchmark
  public int absorb() {
    outbox.absorb(events);
    return outbox.pendingPresenceCount();
  }
}
