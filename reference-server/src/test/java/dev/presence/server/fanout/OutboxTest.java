package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One subscriber's coalescing and ordering, without a room. */
class OutboxTest {
  private final List<ConnectResponse> written = new ArrayList<>();
  private final FrameSink sink = new FrameSink() {
    @Override
    public void send(Frame frame) {
      try {
        written.add(ConnectResponse.parseFrom(frame.bytes()));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public boolean isReady() {
      return true;
    }
  };

  private static Struct s(double x) {
    return Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(x).build()).build();
  }

  private static User user(String id) {
    return User.newBuilder().setUserId(id).build();
  }

  @Test
  @DisplayName("PRS-THR-7: however many changes arrive, one pending event per user remains, the latest")
  void coalescesToLatestPerUser() {
    Outbox outbox = new Outbox(u -> true);
    for (int i = 0; i < 100; i++) {
      outbox.absorb(List.of(LiveEvent.state("alice", s(i)), LiveEvent.state("bob", s(-i))));
    }
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).hasSize(1);
    assertThat(written.get(0).getPresence().getEventsList()).extracting(e -> e.getState())
        .containsExactly(s(99), s(-99));
  }

  @Test
  @DisplayName("PRS-EVT-5: a null about a user never delivered to the session is dropped")
  void noSpuriousNull() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.nullOf("alice", NullReason.NULL_REASON_LEFT)));
    outbox.absorb(List.of(LiveEvent.state("bob", s(1)), LiveEvent.nullOf("bob", NullReason.NULL_REASON_CLEARED)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).isEmpty();
  }

  @Test
  @DisplayName("PRS-TGT-4: events about users outside the scope are never queued")
  void filtersByScope() {
    Outbox outbox = new Outbox(Set.of("alice")::contains);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("bob", s(2))));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written.get(0).getPresence().getEventsList()).extracting(e -> e.getUserId()).containsExactly("alice");
  }

  @Test
  @DisplayName("PRS-MEM-2/PRS-MEM-3: null, member_left, member_joined, then the rejoined user's state")
  void membershipOrdering() {
    Outbox outbox = new Outbox(u -> true);
    outbox.knowMembers(List.of("alice", "carol"));
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("carol", s(3))));
    outbox.flush(0, sink, new SharedFrames());
    written.clear();
    // carol leaves for good; alice leaves and rejoins; dave joins and sets a state.
    outbox.absorb(List.of(LiveEvent.nullOf("carol", NullReason.NULL_REASON_LEFT)));
    outbox.memberLeft("carol", NullReason.NULL_REASON_LEFT);
    outbox.memberLeft("alice", NullReason.NULL_REASON_TIMED_OUT);
    outbox.memberJoined(user("alice"));
    outbox.memberJoined(user("dave"));
    outbox.absorb(List.of(LiveEvent.state("alice", s(2)), LiveEvent.state("dave", s(4))));
    outbox.flush(100, sink, new SharedFrames());
    assertThat(written).hasSize(6);
    assertThat(written.get(0).getPresence().getEventsList()).extracting(e -> e.getUserId()).containsExactly("carol");
    assertThat(written.get(1).getMemberLeft().getUserId()).isEqualTo("carol");
    assertThat(written.get(2).getMemberLeft().getUserId()).isEqualTo("alice");
    assertThat(written.get(2).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
    assertThat(written.get(3).getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(written.get(4).getMemberJoined().getUser().getUserId()).isEqualTo("dave");
    assertThat(written.get(5).getPresence().getEventsList()).extracting(e -> e.getUserId())
        .containsExactly("alice", "dave");
  }

  @Test
  @DisplayName("A user who joins and leaves between two flushes is never announced")
  void joinAndLeaveUnseen() {
    Outbox outbox = new Outbox(u -> true);
    outbox.memberJoined(user("eve"));
    outbox.absorb(List.of(LiveEvent.state("eve", s(1))));
    outbox.memberLeft("eve", NullReason.NULL_REASON_LEFT);
    outbox.absorb(List.of(LiveEvent.nullOf("eve", NullReason.NULL_REASON_LEFT)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).isEmpty();
  }

  @Test
  @DisplayName("PRS-EVT-7: a state already delivered to every covering subscription is not repeated live")
  void noRepeatOfView() {
    Outbox outbox = new Outbox(u -> true);
    Struct p = s(1);
    outbox.taggedStateDelivered("alice", p, true);
    outbox.absorb(List.of(LiveEvent.state("alice", p)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).isEmpty();
    outbox.taggedStateDelivered("alice", p, false);
    outbox.absorb(List.of(LiveEvent.state("alice", p)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).as("another subscription still needs it").hasSize(1);
  }

  @Test
  @DisplayName("PRS-THR-2: the next batch is due one window after a batch that carried presence")
  void dueAfterWindow() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1))));
    outbox.flush(1000, sink, new SharedFrames());
    assertThat(outbox.dueAt(50)).isEqualTo(1050);
  }
}
