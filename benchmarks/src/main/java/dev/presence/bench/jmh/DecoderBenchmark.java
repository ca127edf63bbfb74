package dev.presence.bench.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.frames.FrameDecoder;
import dev.presence.bench.driver.frames.StateEncoder;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.IOException;
import java.util.Map;
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
 * The load generator's receive path: reading the states out of one presence batch with the drivers'
 * {@link FrameDecoder} (a CodedInputStream walk, no messages) against protobuf's generated parser.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {
  /** Events per frame: 1 as the per-message relay writes, more as coalescing servers do. */
  @Param({"1", "10", "50"})
  int events;

  private byte[] frame;
  private final FrameDecoder decoder = new FrameDecoder();
  private Receiver receiver;

  @Setup
  public void setUp(Blackhole bh) throws InvalidProtocolBufferException {
    PresenceBatch.Builder batch = PresenceBatch.newBuilder();
    for (int u = 0; u < events; u++) {
      CursorState state = new CursorState(u, 1000 + u, 123_456_789_000L + u, 10.5 * u, 20.25 * u);
      batch.addEvents(PresenceEvent.parseFrom(StateEncoder.presenceEvent(state)));
    }
    frame = ConnectResponse.newBuilder().setPresence(batch).build().toByteArray();
    receiver = new Receiver() {
      @Override
      public void onFrame(int bytes) {
        bh.consume(bytes);
      }

      @Override
      public void onState(int fromUser, long seq, long sentAtNanos) {
        bh.consume(fromUser);
        bh.consume(seq);
        bh.consume(sentAtNanos);
      }
    };
  }

  @Benchmark
  public boolean codedInputStream() throws IOException {
    return decoder.decodePresence(frame, receiver);
  }

  @Benchmark
  public boolean protobufParser() throws InvalidProtocolBufferException {
    ConnectResponse response = ConnectResponse.parseFrom(frame);
    if (!response.hasPresence()) {
      return false;
    }
    for (PresenceEvent e : response.getPresence().getEventsList()) {
      if (!e.hasState()) {
        continue;
      }
      Map<String, Value> fields = e.getState().getFieldsMap();
      Value seq = fields.get("seq");
      Value ts = fields.get("ts");
      String userId = e.getUserId();
      if (seq == null || ts == null || !userId.startsWith("u")) {
        continue;
      }
      receiver.onState(Integer.parseInt(userId, 1, userId.length(), 10), (long) seq.getNumberValue(),
          (long) ts.getNumberValue());
    }
    return true;
  }
}
