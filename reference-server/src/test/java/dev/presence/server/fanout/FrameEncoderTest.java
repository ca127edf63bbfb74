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
  @DisplayName("Within one tick, the same event sequence is encoded once, whichever subscriber walks it")
  void sharedFramesEncodeOnce() {
    LiveEvent a = LiveEvent.state("alice", Struct.getDefaultInstance());
    LiveEvent b = LiveEvent.nullOf("bob", NullReason.NULL_REASON_LEFT);
    SharedFrames shared = new SharedFrames();
    List<Frame> first = shared.empty().then(a).then(b).frames();
    List<Frame> second = shared.empty().then(a).then(b).frames();
    List<Frame> other = shared.empty().then(b).frames();
    List<Frame> reversed = shared.empty().then(b).then(a).frames();
    assertThat(second).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(reversed).isNotSameAs(first).isNotSameAs(other);
    assertThat(first.get(0).bytes()).isEqualTo(FrameEncoder.liveBatch(List.of(a, b)).bytes());
    assertThat(reversed.get(0).bytes()).isEqualTo(FrameEncoder.liveBatch(List.of(b, a)).bytes());
    assertThat(shared.encodings()).isEqualTo(3);
  }

  @Test
  @DisplayName("A batch knows its size, its oldest change and whether it carries a null without a pass over it")
  void batchAggregates() {
    LiveEvent a = LiveEvent.state("alice", Struct.getDefaultInstance(), 30);
    LiveEvent b = LiveEvent.nullOf("bob", NullReason.NULL_REASON_LEFT, 10);
    LiveEvent c = LiveEvent.state("carol", Struct.getDefaultInstance(), 20);
    SharedFrames shared = new SharedFrames();
    SharedFrames.Batch ac = shared.empty().then(a).then(c);
    SharedFrames.Batch abc = shared.empty().then(a).then(b).then(c);
    assertThat(ac.size()).isEqualTo(2);
    assertThat(ac.oldestArrivalMillis()).isEqualTo(20);
    assertThat(ac.carriesNull()).isFalse();
    assertThat(abc.events()).containsExactly(a, b, c);
    assertThat(abc.oldestArrivalMillis()).isEqualTo(10);
    assertThat(abc.carriesNull()).isTrue();
    assertThat(shared.empty().isEmpty()).isTrue();
  }
}
