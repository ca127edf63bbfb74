package dev.presence.bench.jmh;

import com.google.protobuf.Struct;
import dev.presence.server.fanout.LiveEvent;
import dev.presence.server.fanout.Outbox;
import dev.presence.server.fanout.SharedFrames;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One room tick as the server runs it when every user of the room moved: each subscriber's outbox absorbs
 * the tick's changes and flushes one batch, and the batch is encoded once and shared. The score divided
 * by {@code users}² is the cost per delivered event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoalescingBenchmark {
  @Param({"10", "50", "200"})
  int users;

  private final List<Outbox> outboxes = new ArrayList<>();
  /** Two alternating rounds, so every flush carries a state that differs from the subscriber's view. */
  private final List<List<Struct>> rounds = new ArrayList<>();
  private final List<String> userIds = new ArrayList<>();
  private long tick;

  @Setup
  public void setUp() {
    for (int u = 0; u < users; u++) {
      outboxes.add(new Outbox(Fixtures.allUsers()));
      userIds.add(Fixtures.userId(u));
    }
    rounds.add(Fixtures.round(users, 1));
    rounds.add(Fixtures.round(users, 2));
  }

  @Benchmark
  public int roomTick(Blackhole bh) {
    tick++;
    List<Struct> states = rounds.get((int) (tick & 1));
    // New events every tick, as in the server: each is encoded once, by the first batch that carries it.
    List<LiveEvent> events = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      events.add(LiveEvent.state(userIds.get(u), states.get(u)));
    }
    SharedFrames shared = new SharedFrames();
    long nowMillis = tick * 50;
    var sink = Fixtures.sink(bh);
    for (Outbox outbox : outboxes) {
      outbox.absorb(events);
      outbox.flush(nowMillis, sink, shared);
    }
    return shared.encodings();
  }
}
