package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.clear;
import static dev.presence.server.support.Frames.follow;
import static dev.presence.server.support.Frames.following;
import static dev.presence.server.support.Frames.leave;
import static dev.presence.server.support.Frames.state;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.session.SessionEnd;
import dev.presence.server.session.CallStatus;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Membership frames and their order against presence (PRS-MEM-5, PRS-MEM-6, PRS-END-6, PRS-END-7, PRS-IDN-8). */
class MembershipRulesTest {
  private static final int W = 50;
  private final RoomHarness h = new RoomHarness();

  private static List<ConnectResponse> frames(FakeCall call, int from) {
    return call.sent.subList(from, call.sent.size()).stream().map(FakeCall.Sent::frame).toList();
  }

  private RoomHarness.Client watcher(String userId) {
    RoomHarness.Client w = h.open("r", userId);
    w.send(subscribe(1, "A", all()));
    return w;
  }

  /**
   * Bob watches '*' and has alice's x=1; 5 ms later {@code ending} ends her session, she rejoins at once with x=2,
   * and three windows pass.
   *
   * @return what bob received from the ending on
   */
  private List<FakeCall.Sent> watcherSeesAliceRejoin(Consumer<RoomHarness.Client> ending) {
    RoomHarness.Client alice = h.open("r", "alice");
    RoomHarness.Client bob = watcher("bob");
    alice.send(update(1));
    int seen = bob.call.sent.size();
    h.time.advance(5);
    ending.accept(alice);
    h.open("r", "alice").send(update(2));
    h.time.advance(3 * W);
    return bob.call.sent.subList(seen, bob.call.sent.size());
  }

  /**
   * A window on, while bob is not writable, alice joins with a state and then bob's {@code request} is processed;
   * bob becomes writable, carol joins, and a window passes.
   *
   * @return the two frames bob receives between alice's member_joined and carol's
   */
  private List<ConnectResponse> betweenAliceAndCarolJoining(RoomHarness.Client bob, ConnectRequest request) {
    h.time.advance(W);
    bob.call.ready = false;
    int seen = bob.call.sent.size();
    h.open("r", "alice").send(update(1));
    bob.send(request);
    bob.becomeReady();
    h.open("r", "carol");
    h.time.advance(W);
    List<ConnectResponse> got = frames(bob.call, seen);
    assertThat(got).hasSize(4);
    assertThat(got.get(0).getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(got.get(3).getMemberJoined().getUser().getUserId()).isEqualTo("carol");
    return got.subList(1, 3);
  }

  @Test
  @DisplayName("PRS-MEM-5: leave and fast rejoin: the leave null, member_left, member_joined, then the new state at least W after the null")
  void fastLeaveAndRejoin() {
    List<FakeCall.Sent> sent = watcherSeesAliceRejoin(alice -> alice.end(SessionEnd.PING_TIMEOUT));
    assertThat(sent).hasSize(4);
    assertThat(sent.get(0).frame().getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
    assertThat(sent.get(1).frame().getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
    assertThat(sent.get(2).frame().getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(sent.get(3).frame().getPresence().getEvents(0).getState()).isEqualTo(state("x", 2));
    assertThat(sent.get(3).at() - sent.get(0).at()).isGreaterThanOrEqualTo(W);
  }

  @Test
  @DisplayName("PRS-MEM-5: a pending CLEARED null of a user who then leaves and rejoins is not coalesced away either")
  void clearedThenRejoined() {
    List<ConnectResponse> got = watcherSeesAliceRejoin(alice -> {
      alice.send(clear());
      alice.end(SessionEnd.LEAVE);
    }).stream().map(FakeCall.Sent::frame).toList();
    assertThat(got).hasSize(4);
    assertThat(got.get(0).getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_CLEARED);
    assertThat(got.get(1).hasMemberLeft()).isTrue();
    assertThat(got.get(2).hasMemberJoined()).isTrue();
    assertThat(got.get(3).getPresence().getEvents(0).getState()).isEqualTo(state("x", 2));
  }

  @Test
  @DisplayName("PRS-MEM-6: membership processed before a subscribe precedes its snapshot; membership processed after it follows snapshot_complete")
  void membershipAroundSubscribe() {
    RoomHarness.Client bob = h.open("r", "bob");
    List<ConnectResponse> between = betweenAliceAndCarolJoining(bob, subscribe(1, "A", all()));
    assertThat(between.get(0).getPresence().getEvents(0).getSubscriptionIdsList()).containsExactly("A");
    assertThat(between.get(1).hasSnapshotComplete()).isTrue();
  }

  @Test
  @DisplayName("PRS-MEM-6: membership processed before a follow precedes its tagged event; membership after it follows the ack")
  void membershipAroundFollow() {
    RoomHarness.Client bob = h.open("r", "bob");
    bob.send(subscribe(1, "F", following()));
    List<ConnectResponse> between = betweenAliceAndCarolJoining(bob, follow(2, "alice"));
    assertThat(between.get(0).getPresence().getEvents(0).getSubscriptionIdsList()).containsExactly("F");
    assertThat(between.get(1).getAck().getRequestId()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(SessionEnd.class)
  @DisplayName("PRS-END-7: member_left.reason says how the last session ended, for a user who never had presence")
  void memberLeftReasonWithoutPresence(SessionEnd how) {
    RoomHarness.Client bob = h.open("r", "bob");
    RoomHarness.Client alice = h.open("r", "alice");
    h.time.advance(W);
    int seen = bob.call.sent.size();
    alice.end(how);
    h.time.advance(W);
    assertThat(frames(bob.call, seen)).singleElement()
        .satisfies(f -> assertThat(f.getMemberLeft().getReason()).isEqualTo(endThreeReason(how)));
  }

  private static NullReason endThreeReason(SessionEnd how) {
    return switch (how) {
      case TRANSPORT_LOSS, IDLE_TIMEOUT, PING_TIMEOUT -> NullReason.NULL_REASON_TIMED_OUT;
      case REVOKED -> NullReason.NULL_REASON_REVOKED;
      default -> NullReason.NULL_REASON_LEFT;
    };
  }

  @ParameterizedTest
  @EnumSource(SessionEnd.class)
  @DisplayName("PRS-END-7, PRS-MEM-4: a user whose only session ends before the room next writes to others is announced joining, then leaving with the reason")
  void memberLeftReasonOfAShortStay(SessionEnd how) {
    RoomHarness.Client bob = h.open("r", "bob");
    h.time.advance(W);
    int seen = bob.call.sent.size();
    h.open("r", "alice").end(how);
    h.time.advance(W);
    List<ConnectResponse> got = frames(bob.call, seen);
    assertThat(got).hasSize(2);
    assertThat(got.get(0).getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(got.get(1).getMemberLeft().getReason()).isEqualTo(endThreeReason(how));
  }

  @Test
  @DisplayName("PRS-IDN-8: a user's display name in the room is the one of the session that made them a member, until they leave")
  void displayNameOfFirstSession() {
    RoomHarness.Client bob = h.open("r", "bob");
    RoomHarness.Client first = h.open("r", "alice", "Alice One");
    RoomHarness.Client second = h.open("r", "alice", "Alice Two");
    assertThat(second.call.sent.get(0).frame().getOpened().getSelf().getDisplayName()).isEqualTo("Alice Two");
    RoomHarness.Client carol = h.open("r", "carol");
    assertThat(carol.call.sent.get(0).frame().getOpened().getMembersList()).extracting(User::getDisplayName)
        .containsExactly("bob", "Alice One", "carol");
    first.end(SessionEnd.LEAVE);
    assertThat(h.open("r", "dave").call.sent.get(0).frame().getOpened().getMembersList())
        .filteredOn(u -> u.getUserId().equals("alice")).extracting(User::getDisplayName).containsExactly("Alice One");
    second.end(SessionEnd.LEAVE);
    h.open("r", "alice", "Alice Three");
    h.time.advance(W);
    assertThat(bob.call.sent.stream().map(FakeCall.Sent::frame).filter(ConnectResponse::hasMemberJoined)
        .map(f -> f.getMemberJoined().getUser()).filter(u -> u.getUserId().equals("alice"))
        .map(User::getDisplayName)).containsExactly("Alice One", "Alice Three");
  }

  @Test
  @DisplayName("PRS-END-6: leave ends the call with OK at once, without waiting for a stalled subscriber, which gets the null and member_left when writable")
  void leaveIsCommittedWithoutWaiting() {
    RoomHarness.Client alice = h.open("r", "alice");
    RoomHarness.Client bob = watcher("bob");
    alice.send(update(1));
    bob.call.ready = false;
    int seen = bob.call.sent.size();
    long processedAt = h.time.nowMillis();
    alice.send(leave());
    assertThat(alice.call.closedWith).isEqualTo(CallStatus.OK);
    assertThat(h.time.nowMillis()).isEqualTo(processedAt);
    h.time.advance(10 * W);
    assertThat(frames(bob.call, seen)).isEmpty();
    bob.becomeReady();
    List<ConnectResponse> got = frames(bob.call, seen);
    assertThat(got).hasSize(2);
    assertThat(got.get(0).getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
    assertThat(got.get(1).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
  }
}
