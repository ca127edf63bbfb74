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
  @DisplayName("PRS-THR-9: however many changes arrive, one pending event per user remains, the latest")
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
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("carol", s(3))));
    outbox.flush(0, sink, new SharedFrames());
    written.clear();
    // carol leaves for good; alice leaves and rejoins; dave joins and sets a state.
    outbox.absorb(List.of(LiveEvent.nullOf("carol", NullReason.NULL_REASON_LEFT)));
    outbox.membershipChanged(MembershipChange.left("carol", NullReason.NULL_REASON_LEFT));
    outbox.membershipChanged(MembershipChange.left("alice", NullReason.NULL_REASON_TIMED_OUT));
    outbox.membershipChanged(MembershipChange.joined(user("alice")));
    outbox.membershipChanged(MembershipChange.joined(user("dave")));
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
  @DisplayName("PRS-MEM-4, PRS-END-7: a user who joins and leaves between two flushes is announced both ways; the state in between is not")
  void joinAndLeaveBetweenFlushes() {
    Outbox outbox = new Outbox(u -> true);
    outbox.membershipChanged(MembershipChange.joined(user("eve")));
    outbox.absorb(List.of(LiveEvent.state("eve", s(1))));
    outbox.membershipChanged(MembershipChange.left("eve", NullReason.NULL_REASON_LEFT));
    outbox.absorb(List.of(LiveEvent.nullOf("eve", NullReason.NULL_REASON_LEFT)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).hasSize(2);
    assertThat(written.get(0).getMemberJoined().getUser().getUserId()).isEqualTo("eve");
    assertThat(written.get(1).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-MEM-4, PRS-THR-9: a user cycling faster than flushes keeps the first change and the last two, ending as they are")
  void manyCyclesBetweenFlushesAreBounded() {
    Outbox outbox = new Outbox(u -> true);
    for (int i = 0; i < 10; i++) {
      outbox.membershipChanged(MembershipChange.joined(user("eve")));
      outbox.membershipChanged(MembershipChange.left("eve", i == 9 ? NullReason.NULL_REASON_TIMED_OUT : NullReason.NULL_REASON_LEFT));
    }
    outbox.membershipChanged(MembershipChange.joined(user("eve")));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).extracting(ConnectResponse::getFrameCase).containsExactly(
        ConnectResponse.FrameCase.MEMBER_JOINED, ConnectResponse.FrameCase.MEMBER_LEFT,
        ConnectResponse.FrameCase.MEMBER_JOINED);
    assertThat(written.get(1).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
  }

  @Test
  @DisplayName("PRS-EVT-7: a live state equal to a determined view is not repeated, however the view was set")
  void noRepeatOfDeterminedView() {
    Outbox outbox = new Outbox(u -> true);
    Struct p = s(1);
    outbox.taggedStateDelivered("alice", EncodedState.of(p), true);
    outbox.absorb(List.of(LiveEvent.state("alice", p)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).isEmpty();
    // A tagged state equal to the view leaves it determined: every covering subscription holds p.
    outbox.taggedStateDelivered("alice", EncodedState.of(s(1)), false);
    outbox.absorb(List.of(LiveEvent.state("alice", p)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).isEmpty();
  }

  @Test
  @DisplayName("PRS-EVT-7: an undetermined view never suppresses a live state and the next live event determines it")
  void undeterminedViewNeverSuppresses() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1))));
    outbox.flush(0, sink, new SharedFrames());
    // A snapshot for one subscription carries s2; another covering subscription still holds s1.
    outbox.taggedStateDelivered("alice", EncodedState.of(s(2)), false);
    assertThat(outbox.hasView("alice")).as("undetermined counts as non-null").isTrue();
    outbox.absorb(List.of(LiveEvent.state("alice", s(2))));
    outbox.flush(100, sink, new SharedFrames());
    assertThat(written).hasSize(2);
    assertThat(written.get(1).getPresence().getEvents(0).getState()).isEqualTo(s(2));
    // Determined again by that live event: an equal state is suppressed from now on.
    outbox.absorb(List.of(LiveEvent.state("alice", s(2))));
    outbox.flush(200, sink, new SharedFrames());
    assertThat(written).hasSize(2);
  }

  @Test
  @DisplayName("PRS-EVT-5/PRS-EVT-6: a live null is owed after a tagged state that left the view undetermined")
  void undeterminedViewIsNonNull() {
    Outbox outbox = new Outbox(u -> true);
    outbox.taggedStateDelivered("alice", EncodedState.of(s(2)), false);
    outbox.absorb(List.of(LiveEvent.nullOf("alice", NullReason.NULL_REASON_CLEARED)));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).singleElement().satisfies(f -> assertThat(f.getPresence().getEvents(0).hasState()).isFalse());
    assertThat(outbox.hasView("alice")).isFalse();
  }

  @Test
  @DisplayName("SPEC §1.2 view: a user's leaving the room keeps the view until the leave null is delivered")
  void leavingKeepsViewUntilNullDelivered() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1))));
    outbox.flush(0, sink, new SharedFrames());
    outbox.membershipChanged(MembershipChange.left("alice", NullReason.NULL_REASON_LEFT));
    outbox.absorb(List.of(LiveEvent.nullOf("alice", NullReason.NULL_REASON_LEFT)));
    assertThat(outbox.usersWithView()).containsExactly("alice");
    outbox.flush(100, sink, new SharedFrames());
    assertThat(outbox.hasView("alice")).isFalse();
  }

  @Test
  @DisplayName("PRS-MEM-5: the leave null survives the rejoined user's state: null, member_left, member_joined, and the state one window later")
  void leaveNullSurvivesRejoin() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1))));
    outbox.flush(0, sink, new SharedFrames());
    written.clear();
    outbox.membershipChanged(MembershipChange.left("alice", NullReason.NULL_REASON_TIMED_OUT));
    outbox.absorb(List.of(LiveEvent.nullOf("alice", NullReason.NULL_REASON_TIMED_OUT)));
    outbox.membershipChanged(MembershipChange.joined(user("alice")));
    outbox.absorb(List.of(LiveEvent.state("alice", s(2))));
    outbox.absorb(List.of(LiveEvent.state("alice", s(3))));
    assertThat(outbox.pendingPresenceCount()).isEqualTo(1);
    outbox.flush(50, sink, new SharedFrames());
    assertThat(written).hasSize(3);
    assertThat(written.get(0).getPresence().getEventsList()).singleElement()
        .satisfies(e -> assertThat(e.getNullReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT));
    assertThat(written.get(1).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
    assertThat(written.get(2).getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(outbox.hasPending()).isTrue();
    assertThat(outbox.dueAt(50)).isEqualTo(100);
    outbox.flush(100, sink, new SharedFrames());
    assertThat(written).hasSize(4);
    assertThat(written.get(3).getPresence().getEventsList()).extracting(e -> e.getState()).containsExactly(s(3));
  }

  @Test
  @DisplayName("PRS-MEM-5: with no null owed, the rejoined user's state follows member_joined in the same flush")
  void rejoinWithoutOwedNull() {
    Outbox outbox = new Outbox(u -> true);
    outbox.membershipChanged(MembershipChange.left("alice", NullReason.NULL_REASON_LEFT));
    outbox.membershipChanged(MembershipChange.joined(user("alice")));
    outbox.absorb(List.of(LiveEvent.state("alice", s(2))));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written).hasSize(3);
    assertThat(written.get(0).getMemberLeft().getUserId()).isEqualTo("alice");
    assertThat(written.get(1).getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(written.get(2).getPresence().getEvents(0).getState()).isEqualTo(s(2));
  }

  @Test
  @DisplayName("PRS-TRN-7: a live batch larger than the bound is split in order into frames within it, shared between sessions")
  void largeLiveBatchIsSplit() {
    int bound = 65_536;
    Struct big = Struct.newBuilder()
        .putFields("pad", Value.newBuilder().setStringValue("p".repeat(8000)).build()).build();
    List<LiveEvent> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(LiveEvent.state("user-" + i, big));
    }
    List<byte[]> raw = new ArrayList<>();
    FrameSink rawSink = new FrameSink() {
      @Override
      public void send(Frame frame) {
        raw.add(frame.bytes());
        sink.send(frame);
      }

      @Override
      public boolean isReady() {
        return true;
      }
    };
    SharedFrames shared = new SharedFrames(bound);
    for (int session = 0; session < 2; session++) {
      Outbox outbox = new Outbox(u -> true);
      outbox.absorb(events);
      outbox.flush(0, rawSink, shared);
    }
    assertThat(shared.encodings()).isEqualTo(1);
    assertThat(raw).hasSameSizeAs(written).hasSizeGreaterThan(2 * 4);
    assertThat(raw).allSatisfy(bytes -> assertThat(bytes.length).isLessThanOrEqualTo(bound));
    List<String> firstSession = written.subList(0, written.size() / 2).stream()
        .flatMap(f -> f.getPresence().getEventsList().stream()).map(e -> e.getUserId()).toList();
    assertThat(firstSession).isEqualTo(events.stream().map(LiveEvent::userId).toList());
    assertThat(raw.get(0)).isSameAs(raw.get(raw.size() / 2));
  }

  @Test
  @DisplayName("PRS-TRN-7: a small live batch is one frame")
  void smallLiveBatchIsOneFrame() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("bob", s(2))));
    outbox.flush(0, sink, new SharedFrames(65_536));
    assertThat(written).singleElement().satisfies(f -> assertThat(f.getPresence().getEventsCount()).isEqualTo(2));
  }

  @Test
  @DisplayName("PRS-THR-2: the next batch is due one window after a batch that carried presence")
  void dueAfterWindow() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1))));
    outbox.flush(1000, sink, new SharedFrames());
    assertThat(outbox.dueAt(50)).isEqualTo(1050);
  }

  @Test
  @DisplayName("PRS-EVT-1, PRS-THR-4: changes absorbed over several ticks go out in the order their latest versions happened")
  void batchFollowsTheOrderOfLatestChanges() {
    Outbox outbox = new Outbox(u -> true);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("bob", s(2))));
    outbox.absorb(List.of(LiveEvent.state("carol", s(3)), LiveEvent.state("alice", s(4))));
    outbox.absorb(List.of(LiveEvent.state("bob", s(5))));
    assertThat(outbox.pendingPresenceCount()).isEqualTo(3);
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written.get(0).getPresence().getEventsList()).extracting(e -> e.getUserId() + "=" + e.getState())
        .containsExactly("carol=" + s(3), "alice=" + s(4), "bob=" + s(5));
  }

  @Test
  @DisplayName("PRS-TGT-4: a pending change of a user who left the scope is never written, and a later one is written once")
  void leftScopeDropsThePendingChange() {
    Set<String> scope = new java.util.HashSet<>(Set.of("alice", "bob"));
    Outbox outbox = new Outbox(scope::contains);
    outbox.absorb(List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("bob", s(2))));
    scope.remove("alice");
    outbox.leftScope("alice");
    assertThat(outbox.pendingPresenceCount()).isEqualTo(1);
    scope.add("alice");
    outbox.absorb(List.of(LiveEvent.state("alice", s(3))));
    outbox.flush(0, sink, new SharedFrames());
    assertThat(written.get(0).getPresence().getEventsList()).extracting(e -> e.getUserId() + "=" + e.getState())
        .containsExactly("bob=" + s(2), "alice=" + s(3));
    assertThat(outbox.usersWithView()).containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  @DisplayName("Sessions that choose the same events in one tick share one encoding; a different choice gets its own")
  void sessionsShareTheirTicksBatches() {
    SharedFrames shared = new SharedFrames();
    List<LiveEvent> tick = List.of(LiveEvent.state("alice", s(1)), LiveEvent.state("bob", s(2)));
    Outbox everyone = new Outbox(u -> true);
    Outbox everyoneToo = new Outbox(u -> true);
    Outbox bobOnly = new Outbox(Set.of("bob")::contains);
    for (Outbox o : List.of(everyone, everyoneToo, bobOnly)) {
      o.absorb(tick);
      o.flush(0, sink, shared);
    }
    assertThat(shared.encodings()).isEqualTo(2);
    assertThat(written).hasSize(3);
    assertThat(written.get(0)).isEqualTo(written.get(1));
  }
}
