package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-assembled live batch must be byte-identical to the generated encoder's output. */
class FrameEncoderTest {
  @Test
  @DisplayName("A live batch assembled from cached event encodings equals the protobuf encoding")
  void liveBatchMatchesProtobuf() {
    Struct big = Struct.newBuilder().putFields("s", Value.newBuilder().setStringValue("z".repeat(300)).build()).build();
    List<LiveEvent> events = List.of(
        LiveEvent.state("alice", Struct.getDefaultInstance()),
        LiveEvent.state("bob", big),
        LiveEvent.nullOf("carol", NullReason.NULL_REASON_TIMED_OUT));
    ConnectResponse expected = ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder()
        .addEvents(PresenceEvent.newBuilder().setUserId("alice").setState(Struct.getDefaultInstance()))
        .addEvents(PresenceEvent.newBuilder().setUserId("bob").setState(big))
        .addEvents(PresenceEvent.newBuilder().setUserId("carol").setNullReason(NullReason.NULL_REASON_TIMED_OUT)))
        .build();
    assertThat(FrameEncoder.liveBatch(events).bytes()).isEqualTo(expected.toByteArray());
  }

  @Test
  @DisplayName("Within one tick, the same event list is encoded once")
  void sharedFramesEncodeOnce() {
    LiveEvent a = LiveEvent.state("alice", Struct.getDefaultInstance());
    LiveEvent b = LiveEvent.nullOf("bob", NullReason.NULL_REASON_LEFT);
    SharedFrames shared = new SharedFrames();
    List<Frame> first = shared.liveFrames(new java.util.ArrayList<>(List.of(a, b)));
    List<Frame> second = shared.liveFrames(List.of(a, b));
    List<Frame> other = shared.liveFrames(List.of(b));
    assertThat(second).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(shared.encodings()).isEqualTo(2);
  }
}
