package dev.presence.conformance.client.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;
import io.grpc.Status;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

// The resources close by waiting for a server to stop; an interrupt then fails the test, as it should.
@SuppressWarnings("try")
class RoomTest {

  @Test
  void subscribeGetsTaggedSnapshotThenSnapshotComplete() throws Exception {
    try (Loopback net = new Loopback()) {
      net.server.room().set("alice", state("x", 1));
      net.server.room().join("bob");
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(5, "all", all()));

      ConnectResponse complete = net.received("a", ConnectResponse::hasSnapshotComplete);
      assertThat(complete.getSnapshotComplete().getSubscriptionId()).isEqualTo("all");
      assertThat(complete.getSnapshotComplete().getRequestId()).isEqualTo(5);
      List<ConnectResponse> frames = net.frames("a");
      assertThat(frames).hasSize(3);
      assertThat(frames.get(1).getPresence().getEventsList()).containsExactly(PresenceEvent.newBuilder()
          .setUserId("alice").setState(state("x", 1)).addSubscriptionIds("all").build());
      assertThat(a.call().subscriptions()).containsExactly("all");
    }
  }

  @Test
  void emptySnapshotSendsNoPresenceFrame() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(1, "one", SyncTarget.newBuilder().setUserId("nobody").build()));
      net.received("a", ConnectResponse::hasSnapshotComplete);
      assertThat(net.frames("a")).hasSize(2);
    }
  }

  @Test
  void heldSnapshotCompletesGoOutOnRelease() throws Exception {
    Autopilot autopilot = new Autopilot().holdSnapshotComplete(true);
    try (Loopback net = new Loopback(autopilot)) {
      net.server.room().set("alice", state("x", 1));
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(1, "all", all()));
      net.barrier(a, 100);
      assertThat(net.frames("a")).noneMatch(ConnectResponse::hasSnapshotComplete);
      assertThat(net.frames("a")).anyMatch(ConnectResponse::hasPresence);

      // Live events still flow by the union scope while the completion is held.
      net.server.room().set("alice", state("x", 2));
      net.received("a", f -> f.hasPresence() && f.getPresence().getEvents(0).getSubscriptionIdsCount() == 0);

      autopilot.holdSnapshotComplete(false).releaseSnapshotCompletes();
      assertThat(net.received("a", ConnectResponse::hasSnapshotComplete).getSnapshotComplete().getRequestId())
          .isEqualTo(1);
    }
  }

  @Test
  void heldSnapshotKeepsLiveEventsBehindItsCompleteWhenAskedTo() throws Exception {
    Autopilot autopilot = new Autopilot().liveWaitsForHeldSnapshots(true).holdSnapshotComplete(true);
    try (Loopback net = new Loopback(autopilot)) {
      net.server.room().set("alice", state("x", 1));
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(1, "all", all()));
      net.barrier(a, 100);
      assertThat(net.frames("a")).anyMatch(ConnectResponse::hasPresence);

      // PRS-SUB-4: nothing live between the snapshot's tagged event and its held snapshot_complete.
      net.server.room().clear("alice");
      net.barrier(a, 101);
      assertThat(net.frames("a"))
          .noneMatch(f -> f.hasPresence() && f.getPresence().getEvents(0).getSubscriptionIdsCount() == 0);

      autopilot.holdSnapshotComplete(false).releaseSnapshotCompletes();
      net.received("a", f -> f.hasPresence() && f.getPresence().getEvents(0).getSubscriptionIdsCount() == 0);
      List<ConnectResponse> frames = net.frames("a");
      int complete = indexOf(frames, ConnectResponse::hasSnapshotComplete);
      int liveNull = indexOf(frames, f -> f.hasPresence() && !f.getPresence().getEvents(0).hasState());
      assertThat(complete).isNotNegative().isLessThan(liveNull);
    }
  }

  private static int indexOf(List<ConnectResponse> frames, Predicate<ConnectResponse> p) {
    for (int i = 0; i < frames.size(); i++) {
      if (p.test(frames.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void followOfAUserWithStateGetsTaggedStateThenAck() throws Exception {
    try (Loopback net = new Loopback()) {
      net.server.room().set("bob", state("y", 3));
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(1, "f", SyncTarget.newBuilder().setFollowedUsers(FollowedUsers.getDefaultInstance())
          .build()));
      a.session().send(ConnectRequest.newBuilder().setRequestId(7).setFollow(Follow.newBuilder().setUserId("bob"))
          .build());
      net.received("a", f -> f.hasAck() && f.getAck().getRequestId() == 7);
      List<ConnectResponse> frames = net.frames("a");
      ConnectResponse beforeAck = frames.get(frames.size() - 2);
      assertThat(beforeAck.getPresence().getEventsList()).containsExactly(PresenceEvent.newBuilder()
          .setUserId("bob").setState(state("y", 3)).addSubscriptionIds("f").build());
      assertThat(a.call().follows()).containsExactly("bob");

      net.server.room().set("bob", state("y", 4));
      net.received("a", f -> f.hasPresence() && f.getPresence().getEvents(0).getState().equals(state("y", 4)));
    }
  }

  @Test
  void heldFollowsAreAnsweredWhenTheTestSaysSo() throws Exception {
    Autopilot autopilot = new Autopilot().answerFollows(false);
    try (Loopback net = new Loopback(autopilot)) {
      Loopback.Opened a = net.open("a");
      a.session().send(ConnectRequest.newBuilder().setRequestId(3).setFollow(Follow.newBuilder().setUserId("bob"))
          .build());
      net.barrier(a, 100);
      assertThat(net.frames("a")).noneMatch(ConnectResponse::hasAck);
      assertThat(a.call().follows()).isEmpty();

      Inbound follow = a.call().awaitInbound(ConnectRequest.FrameCase.FOLLOW, Loopback.WAIT).orElseThrow();
      a.call().answer(follow);
      net.received("a", f -> f.hasAck() && f.getAck().getRequestId() == 3);
      assertThat(a.call().follows()).containsExactly("bob");
    }
  }

  @Test
  void liveEventsGoOnlyToSessionsWhoseScopeCoversTheUser() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      Loopback.Opened b = net.open("b");
      a.session().send(subscribe(1, "s", SyncTarget.newBuilder().setUserId("alice").build()));
      b.session().send(subscribe(1, "s", SyncTarget.newBuilder().setUserId("bob").build()));
      net.received("a", ConnectResponse::hasSnapshotComplete);
      net.received("b", ConnectResponse::hasSnapshotComplete);

      net.server.room().set("alice", state("a", 1));
      net.server.room().set("bob", state("b", 1));
      net.received("a", f -> f.hasPresence() && f.getPresence().getEvents(0).getUserId().equals("alice"));
      net.received("b", f -> f.hasPresence() && f.getPresence().getEvents(0).getUserId().equals("bob"));
      assertThat(net.frames("a")).noneMatch(f -> f.hasPresence()
          && f.getPresence().getEvents(0).getUserId().equals("bob"));
      assertThat(net.frames("b")).noneMatch(f -> f.hasPresence()
          && f.getPresence().getEvents(0).getUserId().equals("alice"));

      net.server.room().leave("alice", NullReason.NULL_REASON_TIMED_OUT);
      assertThat(net.received("a", f -> f.hasPresence() && !f.getPresence().getEvents(0).hasState())
          .getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
      assertThat(net.received("b", ConnectResponse::hasMemberLeft).getMemberLeft().getReason())
          .isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
      assertThat(net.frames("b")).noneMatch(f -> f.hasPresence()
          && f.getPresence().getEvents(0).getUserId().equals("alice"));
    }
  }

  @Test
  void theSdkUsersUpdatesReachOtherSessionsAndItsLeaveEndsOk() throws Exception {
    Autopilot autopilot = new Autopilot().userFor(auth -> auth.map(h -> h.substring("Bearer token-".length())));
    try (Loopback net = new Loopback(autopilot)) {
      Loopback.Opened watcher = net.open("watcher");
      watcher.session().send(subscribe(1, "all", all()));
      net.received("watcher", ConnectResponse::hasSnapshotComplete);
      Loopback.Opened sdk = net.open("sdk");
      assertThat(net.received("watcher", ConnectResponse::hasMemberJoined).getMemberJoined().getUser().getUserId())
          .isEqualTo("sdk");

      sdk.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state("c", 1)))
          .build());
      assertThat(net.received("watcher", ConnectResponse::hasPresence).getPresence().getEvents(0))
          .isEqualTo(PresenceEvent.newBuilder().setUserId("sdk").setState(state("c", 1)).build());
      assertThat(net.server.room().states()).containsEntry("sdk", state("c", 1));

      sdk.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
      assertThat(net.ended("sdk").code()).isEqualTo(Status.Code.OK);
      assertThat(sdk.call().awaitEnd(Loopback.WAIT)).contains(EndCause.CLIENT_LEAVE);
      assertThat(net.received("watcher", f -> f.hasPresence() && !f.getPresence().getEvents(0).hasState())
          .getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
      assertThat(net.received("watcher", ConnectResponse::hasMemberLeft).getMemberLeft().getUserId())
          .isEqualTo("sdk");
      assertThat(net.server.room().members()).containsExactly("watcher");
    }
  }

  @Test
  void unsubscribeNullsWhatItHeldThenAcks() throws Exception {
    try (Loopback net = new Loopback()) {
      net.server.room().set("alice", state("x", 1));
      Loopback.Opened a = net.open("a");
      a.session().send(subscribe(1, "all", all()));
      net.received("a", ConnectResponse::hasSnapshotComplete);
      a.session().send(ConnectRequest.newBuilder().setRequestId(9)
          .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId("all")).build());
      net.received("a", f -> f.hasAck() && f.getAck().getRequestId() == 9);
      List<ConnectResponse> frames = net.frames("a");
      assertThat(frames.get(frames.size() - 2).getPresence().getEventsList()).containsExactly(PresenceEvent
          .newBuilder().setUserId("alice").setNullReason(NullReason.NULL_REASON_OUT_OF_SCOPE)
          .addSubscriptionIds("all").build());
      assertThat(a.call().subscriptions()).isEmpty();
    }
  }

  static ConnectRequest subscribe(long requestId, String id, SyncTarget target) {
    return ConnectRequest.newBuilder().setRequestId(requestId)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(id).setTarget(target)).build();
  }

  static SyncTarget all() {
    return SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
  }

  static Struct state(String key, double value) {
    return Struct.newBuilder().putFields(key, Value.newBuilder().setNumberValue(value).build()).build();
  }
}
