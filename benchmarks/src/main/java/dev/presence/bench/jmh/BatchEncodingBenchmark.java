package dev.presence.bench.jmh;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.fanout.FrameEncoder;
import dev.presence.server.fanout.LiveEvent;
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
 * Encoding one live batch: the server's way (tags and lengths around each event's cached encoding) against
 * building the {@code ConnectResponse} message from ready {@code PresenceEvent}s and serializing it, and
 * against the server's way with fresh events, whose encodings the batch computes first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchEncodingBenchmark {
  @Param({"10", "50", "200"})
  int events;

  private final List<LiveEvent> cached = new ArrayList<>();
  private final List<PresenceEvent> messages = new ArrayList<>();
  private final List<String> userIds = new ArrayList<>();
  private List<Struct> states;

  @Setup
  public void setUp() {
    states = Fixtures.round(events, 1);
    for (int u = 0; u < events; u++) {
      String userId = Fixtures.userId(u);
      userIds.add(userId);
      cached.add(LiveEvent.state(userId, states.get(u)));
      messages.add(PresenceEvent.newBuilder().setUserId(userId).setState(states.get(u)).build());
    }
    // Encoding a batch once fills each event's cache, as the first subscriber's batch does in a tick.
    FrameEncoder.liveBatch(cached);
  }

  @Benchmark
  public byte[] liveBatchFromCachedEvents() {
    return FrameEncoder.liveBatch(cached).bytes();
  }

  @Benchmark
  public byte[] buildAndSerializeMessage() {
    return ConnectResponse.newBuilder()
        .setPresence(PresenceBatch.newBuilder().addAllEvents(messages))
        .build()
        .toByteArray();
  }

  @Benchmark
  public byte[] liveBatchFromFreshEvents() {
    List<LiveEvent> fresh = new ArrayList<>(events);
    for (int u = 0; u < events; u++) {
      fresh.add(LiveEvent.state(userIds.get(u), states.get(u)));
    }
    return FrameEncoder.liveBatch(fresh).bytes();
  }
}
